/**
 * How an app proves itself at a token or revocation endpoint (RFC 6749 §2.3.1): HTTP Basic with its id and
 * secret, form-encoded first, which Xero and Intuit both take; or, for a public app that has no secret (Xero's
 * PKCE apps, developer.xero.com/documentation/guides/oauth2/pkce-flow), its client_id in the form, the PKCE
 * verifier standing in for the secret at the code exchange.
 */
export function clientAuthentication(
  clientId: string,
  clientSecret: string | undefined,
): { headers: Record<string, string>; form: Record<string, string> } {
  if (clientSecret === undefined) return { headers: {}, form: { client_id: clientId } };
  return {
    headers: {
      authorization: `Basic ${Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(clientSecret)}`).toString('base64')}`,
    },
    form: {},
  };
}
