/** What the connection indicator shows for one stream. */
export type ConnState = 'connecting' | 'live' | 'offline';
