import type { Server } from 'node:http';
import { EnvironmentError } from '../errors.js';

/**
 * Starts `server` listening; a port another program holds, or one this user may not open, is said in one
 * line naming the address and port (an ordinary mistake, not a bug).
 */
export function listenOn(server: Server, port: number, host: string, what: string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const refused = (error: NodeJS.ErrnoException) => {
      const address = `${host.includes(':') ? `[${host}]` : host}:${port}`;
      if (error.code === 'EADDRINUSE') reject(new EnvironmentError(`${what}: port ${port} on ${address} is already in use; stop what holds it or choose another port with --port`));
      else if (error.code === 'EACCES') reject(new EnvironmentError(`${what}: not allowed to listen on ${address}; choose a port above 1023 with --port`));
      else if (error.code === 'EADDRNOTAVAIL') reject(new EnvironmentError(`${what}: ${host} is not an address of this machine`));
      else reject(error);
    };
    server.once('error', refused);
    server.listen(port, host, () => {
      server.off('error', refused);
      resolve();
    });
  });
}
