import type { Server } from 'node:http';
import { EnvironmentError } from '../errors.js';

/** What getaddrinfo answers for a --host that names nothing: a typo or a name this machine's DNS does not know. */
const UNRESOLVED: ReadonlySet<string> = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_NONAME', 'EAI_FAIL']);

/**
 * Starts `server` listening; a port another program holds, or one this user may not open, is said in one
 * line naming the address and port, and a --host that resolves to nothing names the host (ordinary mistakes, not bugs).
 */
export function listenOn(server: Server, port: number, host: string, what: string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const refused = (error: NodeJS.ErrnoException) => {
      const address = `${host.includes(':') ? `[${host}]` : host}:${port}`;
      if (error.code === 'EADDRINUSE')
        reject(
          new EnvironmentError(
            `${what}: port ${port} on ${address} is already in use; stop what holds it or choose another port with --port`,
          ),
        );
      else if (error.code === 'EACCES')
        reject(
          new EnvironmentError(`${what}: not allowed to listen on ${address}; choose a port above 1023 with --port`),
        );
      else if (error.code === 'EADDRNOTAVAIL')
        reject(new EnvironmentError(`${what}: ${host} is not an address of this machine`));
      else if (UNRESOLVED.has(error.code ?? ''))
        reject(
          new EnvironmentError(
            `${what}: --host ${host} names no address this machine can resolve (${error.code}); give an ` +
              `address of this machine such as 127.0.0.1 or 0.0.0.0, or a name in its DNS or /etc/hosts`,
          ),
        );
      else reject(error);
    };
    server.once('error', refused);
    server.listen(port, host, () => {
      server.off('error', refused);
      resolve();
    });
  });
}
