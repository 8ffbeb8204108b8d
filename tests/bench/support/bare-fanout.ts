import { createServer } from 'node:http';
import { Server } from 'socket.io';

// The named baseline of the `fanout` benchmark, run as a child process: a bare socket.io server
// broadcasting one 480 KB binary frame (send time in its first 8 bytes) to every client at
// 10 Hz, compression off — nothing else. `node --import tsx bare-fanout.ts PORT`; prints "ready".

const port = Number(process.argv[2]);
const http = createServer();
const io = new Server(http, { perMessageDeflate: false, httpCompression: false, serveClient: false });
const frame = new Uint8Array(480_000);
setInterval(() => {
  new DataView(frame.buffer).setFloat64(0, Date.now(), true);
  io.volatile.emit('frame', frame);
}, 100);
http.listen(port, '127.0.0.1', () => console.log('ready'));
process.on('SIGTERM', () => process.exit(0));
