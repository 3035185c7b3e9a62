import { createCognitoAuth, type CognitoAuth, type CognitoAuthConfig } from '../../src/index.js';
import { cleanups, server } from './setup.js';
import { ALICE, AUTHORITY, CALLBACK, CLIENT_ID, DOMAIN, createCognito, type CognitoMock, type UserProfile } from './cognito.js';

export interface TestApp {
  auth: CognitoAuth;
  cognito: CognitoMock;
  /** Every URL the SDK sent the browser to. */
  navigations: string[];
  /** Sign in through the (simulated) hosted UI and land on the callback URL; returns that URL. */
  reachCallback(user?: UserProfile, signInOptions?: Parameters<CognitoAuth['signIn']>[0]): Promise<string>;
  /** Sign in all the way: reach the callback and handle it. */
  signInAs(user?: UserProfile): Promise<void>;
  /** A second client on the same page (another tab, or a reload), sharing storage. */
  another(extra?: Partial<CognitoAuthConfig>): CognitoAuth;
}

export const baseConfig: CognitoAuthConfig = { authority: AUTHORITY, clientId: CLIENT_ID, callbackUrl: CALLBACK, domain: DOMAIN };

export async function createTestApp(extra: Partial<CognitoAuthConfig> = {}, cognitoOptions: Parameters<typeof createCognito>[0] = {}): Promise<TestApp> {
  const cognito = await createCognito(cognitoOptions);
  server.use(...cognito.handlers);
  const navigations: string[] = [];
  const make = (more: Partial<CognitoAuthConfig> = {}) => {
    const client = createCognitoAuth({ ...baseConfig, navigate: (u) => void navigations.push(u), ...extra, ...more });
    cleanups.push(() => client.destroy());
    return client;
  };
  const auth = make();
  const app: TestApp = {
    auth,
    cognito,
    navigations,
    async reachCallback(user = ALICE, options) {
      await auth.signIn(options);
      const callback = cognito.authorize(navigations.at(-1) as string, user);
      window.happyDOM?.setURL(callback);
      return callback;
    },
    async signInAs(user = ALICE) {
      await app.reachCallback(user);
      await auth.handleCallback();
    },
    another: (more) => make(more),
  };
  return app;
}
