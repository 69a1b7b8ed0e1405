import { z } from 'zod';
import { AuthError, InvalidReplyError, OrganisationChoiceError, UpstreamError } from '../../errors.js';
import { type HttpClient, readJson, readWire } from '../../http/index.js';

const connectionsSchema = z.array(
  z.object({
    id: z.string().min(1),
    tenantId: z.string().min(1),
    tenantType: z.string().optional(),
    tenantName: z.string().nullish(),
  }),
);

/** One Xero organisation a token reaches (GET /connections). */
export interface XeroConnection {
  id: string;
  tenantId: string;
  tenantName: string;
}

/** The organisations the new token reaches; a Xero token is not bound to one (developer.xero.com, "Tenants"). */
export async function listXeroConnections(
  http: HttpClient,
  connectionsUrl: string,
  accessToken: string,
): Promise<XeroConnection[]> {
  const reply = await http.request({
    method: 'GET',
    url: connectionsUrl,
    headers: { authorization: `Bearer ${accessToken}`, accept: 'application/json' },
    idempotent: true,
    what: 'reading the connections',
  });
  if (reply.status === 401 || reply.status === 403)
    throw new AuthError('Xero', `the connections list was refused (HTTP ${reply.status})`);
  if (reply.status !== 200)
    throw new UpstreamError('Xero', `GET /connections answered HTTP ${reply.status}`, reply.status);
  const json = readJson(reply.bodyText);
  if (!json.ok) throw new InvalidReplyError('Xero', 'GET /connections', json.reason);
  const list = readWire(connectionsSchema, json.value);
  if (!list.ok) throw new InvalidReplyError('Xero', 'GET /connections', list.reason);
  return list.value
    .filter((connection) => (connection.tenantType ?? 'ORGANISATION') === 'ORGANISATION')
    .map((connection) => ({
      id: connection.id,
      tenantId: connection.tenantId,
      tenantName: connection.tenantName ?? '',
    }));
}

/** Removes one connection (DELETE /connections/{id}): the organisation disappears from the app's list in Xero. */
export async function deleteXeroConnection(
  http: HttpClient,
  connectionsUrl: string,
  accessToken: string,
  connectionId: string,
): Promise<void> {
  const reply = await http.request({
    method: 'DELETE',
    url: `${connectionsUrl.replace(/\/$/, '')}/${encodeURIComponent(connectionId)}`,
    headers: { authorization: `Bearer ${accessToken}` },
    idempotent: true,
    what: 'deleting the connection',
  });
  // 404: already gone, which is what was asked.
  if (reply.status !== 204 && reply.status !== 200 && reply.status !== 404)
    throw new UpstreamError('Xero', `DELETE /connections answered HTTP ${reply.status}`, reply.status);
}

/**
 * Which organisation to use: the one --tenant names (its tenant id, connection
 * id or name, case-insensitively), the only one there is, the one the
 * configuration's tenantId names among several, or the one the person picks
 * when a terminal can ask. Several and no way to choose is refused with the
 * list, so the command can be run again with --tenant.
 */
export async function chooseXeroConnection(
  connections: readonly XeroConnection[],
  { tenant, configured }: { tenant: string | undefined; configured?: string | undefined },
  ask: ((choices: readonly XeroConnection[]) => Promise<XeroConnection | undefined>) | undefined,
): Promise<XeroConnection> {
  const listed = connections.map((connection) => `"${connection.tenantName}" (${connection.tenantId})`).join(', ');
  if (connections.length === 0)
    throw new OrganisationChoiceError(
      "Xero: the consent connected no organisation; run connect again and tick an organisation on Xero's page",
    );
  if (tenant !== undefined) {
    const wanted = tenant.trim().toLowerCase();
    const match = connections.filter((connection) =>
      [connection.tenantId, connection.id, connection.tenantName].some((value) => value.toLowerCase() === wanted),
    );
    if (match.length === 1) return match[0]!;
    throw new OrganisationChoiceError(
      `Xero: --tenant ${JSON.stringify(tenant)} ${match.length === 0 ? 'matches none' : 'matches more than one'} of the connected organisations: ${listed}`,
    );
  }
  if (connections.length === 1) return connections[0]!;
  const named = connections.find((connection) => connection.tenantId.toLowerCase() === configured?.toLowerCase());
  if (named !== undefined) return named;
  const picked = ask === undefined ? undefined : await ask(connections);
  if (picked !== undefined) return picked;
  throw new OrganisationChoiceError(
    `Xero: the consent connected ${connections.length} organisations (${listed}); run connect again with --tenant NAME or ID to choose one`,
  );
}
