#!/usr/bin/env node
// The local Cognito-shaped IdP from the command line, for your app (see README.md and --help):
//
//   cognito-local-idp --origin http://localhost:5173            # your app's callback and sign-out
//   cognito-local-idp --config idp.json                          # your users, groups, attributes
//   node demo/idp/cli.mjs --json                                 # one JSON line (for scripts and CI)
import { ConfigError, resolveSettings, USAGE } from './config.mjs';
import { startIdp } from './server.mjs';

let settings;
try {
  settings = resolveSettings(process.argv.slice(2), process.env);
} catch (err) {
  if (!(err instanceof ConfigError)) throw err;
  console.error(`cognito-local-idp: ${err.message}`);
  process.exit(2);
}
if (settings.help) {
  console.log(USAGE);
  process.exit(0);
}

let idp;
try {
  idp = await startIdp(settings.options);
} catch (err) {
  console.error(`cognito-local-idp failed to start: ${err.message}`);
  if (err.code === 'EADDRINUSE') console.error('A port is taken: pass --issuer-port / --domain-port (0 = any free port).');
  process.exit(1);
}

const sdkConfig = { authority: idp.issuer, clientId: idp.clientId, domain: idp.domain, callbackUrl: idp.redirectUris[0] };
if (settings.json) {
  console.log(JSON.stringify({
    issuer: idp.issuer, domain: idp.domain, clientId: idp.clientId, jwksUri: idp.jwksUri,
    redirectUris: idp.redirectUris, logoutUris: idp.logoutUris, sdkConfig,
  }));
} else {
  console.log(`issuer    ${idp.issuer}`);
  console.log(`domain    ${idp.domain}`);
  console.log(`clientId  ${idp.clientId}`);
  console.log(`callback  ${idp.redirectUris.join(', ')}`);
  console.log(`sign-out  ${idp.logoutUris.join(', ')}`);
  console.log(`users     ${idp.users.map((u) => `${u.username} / ${u.password}${u.groups.length ? ` (${u.groups.join(', ')})` : ''}`).join(', ')}`);
  console.log(`\ncreateCognitoAuth(${JSON.stringify(sdkConfig, null, 2)})`);
  console.log('\nCtrl+C to stop.');
}

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, async () => {
    if (stopping) return;
    stopping = true;
    await idp.stop();
    process.exit(0);
  });
}
