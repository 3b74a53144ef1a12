/**
 * A real OpenID provider (`oidc-provider`, certified) in the test process, on a port of its own,
 * for a browser to sign in at: its login step signs in `nextLogin` without a form, consent is
 * given (a first-party client), and the browser is sent back to the desk with a code. The desk
 * is its one client, registered once the desk's address is known (`registerDesk`): the desk
 * listens on port 0, and it reads its redirect URL only when a sign-in starts.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AuthSettings } from '@desk/server';
import type { StaffRole } from '@desk/shared';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import Provider from 'oidc-provider';

type OidcSettings = NonNullable<AuthSettings['oidc']>;

export type IdentityProviderAccount = { email: string; name: string; groups: string[]; email_verified: boolean };

export type IdentityProvider = {
  issuer: string;
  /** The provider's people, by subject. */
  accounts: Map<string, IdentityProviderAccount>;
  /** Whom the next login at the provider signs in. */
  nextLogin: string;
  /** The desk's single sign-on settings for this provider (its redirect URL follows `registerDesk`). */
  settings: OidcSettings;
  /** Registers the desk as the provider's client, sending browsers back to its callback page. */
  registerDesk(deskUrl: string): void;
  /** Replaces the ID token in the token endpoint's answer (a man in the middle). */
  tamper: ((idToken: string) => Promise<string>) | null;
  /** Signs a token with the provider's own key. */
  signAsProvider(claims: Record<string, unknown>): Promise<string>;
  close(): Promise<void>;
};

const client = { clientId: 'desk', clientSecret: 'desk-client-secret' };

export async function startIdentityProvider(options: {
  name: string;
  roleMap: readonly { group: string; role: StaffRole }[];
  /** The desk's address when it is known before the provider starts (else `registerDesk` later). */
  deskUrl?: string;
}): Promise<IdentityProvider> {
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  const jwk = { ...(await exportJWK(privateKey)), kid: 'idp-key', alg: 'RS256', use: 'sig' };
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  let redirectUrl: string | null = null;
  let handle: ((req: IncomingMessage, res: ServerResponse) => void) | null = null;

  const idp: IdentityProvider = {
    issuer,
    accounts: new Map(),
    nextLogin: '',
    settings: {
      issuer,
      clientId: client.clientId,
      clientSecret: client.clientSecret,
      get redirectUrl() {
        if (redirectUrl === null) throw new Error('registerDesk() first: the desk has no address yet');
        return redirectUrl;
      },
      groupsClaim: 'groups',
      roleMap: options.roleMap,
      name: options.name,
      scopes: 'openid email profile groups',
    },
    registerDesk(deskUrl) {
      redirectUrl = `${deskUrl}/sso/callback`;
      handle = providerFor(idp, redirectUrl, jwk);
    },
    tamper: null,
    signAsProvider: (claims) =>
      new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: 'idp-key' }).sign(privateKey),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };

  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    if (!handle) {
      res.statusCode = 503;
      res.end('no client registered yet');
      return;
    }
    const tamper = idp.tamper;
    if (tamper && req.method === 'POST' && req.url?.startsWith('/token')) holdTokenAnswer(res, tamper);
    handle(req, res);
  });
  if (options.deskUrl) idp.registerDesk(options.deskUrl);
  return idp;
}

/** Holds the token endpoint's answer and sends it on with its ID token replaced. */
function holdTokenAnswer(res: ServerResponse, tamper: (idToken: string) => Promise<string>): void {
  const chunks: Buffer[] = [];
  const end = res.end.bind(res);
  res.write = ((chunk: Buffer | string) => {
    chunks.push(Buffer.from(chunk));
    return true;
  }) as typeof res.write;
  res.end = ((chunk?: Buffer | string) => {
    if (chunk) chunks.push(Buffer.from(chunk));
    const answer = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { id_token: string };
    void tamper(answer.id_token).then((idToken) => {
      const body = JSON.stringify({ ...answer, id_token: idToken });
      res.setHeader('content-length', Buffer.byteLength(body));
      end(body);
    });
    return res;
  }) as typeof res.end;
}

function providerFor(
  idp: IdentityProvider,
  redirectUrl: string,
  jwk: Record<string, unknown>,
): (req: IncomingMessage, res: ServerResponse) => void {
  const provider = new Provider(idp.issuer, {
    clients: [
      {
        client_id: client.clientId,
        client_secret: client.clientSecret,
        redirect_uris: [redirectUrl],
        grant_types: ['authorization_code'],
        response_types: ['code'],
      },
    ],
    jwks: { keys: [jwk] },
    cookies: { keys: ['identity-provider-browser-test-cookie-key'] },
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'], groups: ['groups'] },
    pkce: { required: () => true },
    // Lifetimes of its own (the library asks for them): minutes, a test's length.
    ttl: { Grant: 600, Session: 600, Interaction: 600, AccessToken: 600, IdToken: 600, AuthorizationCode: 60 },
    features: { devInteractions: { enabled: false } },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    findAccount: async (_ctx, sub) => {
      const account = idp.accounts.get(sub);
      return account ? { accountId: sub, claims: async () => ({ sub, ...account }) } : undefined;
    },
    // A first-party client: consent is given.
    loadExistingGrant: async (ctx) => {
      const accountId = ctx.oidc.session?.accountId;
      const clientId = ctx.oidc.client?.clientId;
      if (!accountId || !clientId) return undefined;
      const grant = new ctx.oidc.provider.Grant({ accountId, clientId });
      grant.addOIDCScope('openid email profile groups');
      await grant.save();
      return grant;
    },
  });
  const callback = provider.callback();
  const login = async (req: IncomingMessage, res: ServerResponse) => {
    await provider.interactionDetails(req, res);
    await provider.interactionFinished(
      req,
      res,
      { login: { accountId: idp.nextLogin } },
      { mergeWithLastSubmission: false },
    );
  };
  return (req, res) => {
    if (req.url?.startsWith('/interaction/')) {
      login(req, res).catch((err: unknown) => {
        res.statusCode = 500;
        res.end(String(err));
      });
      return;
    }
    callback(req, res);
  };
}
