/** The CJK font stack of the whole product (the wall machines have one of these); theme.css names the same. */
export const CJK_FONT_STACK =
  '"PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", "WenQuanYi Micro Hei", sans-serif';
