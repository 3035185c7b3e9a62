/// <reference types="node" />
// The app's own server: the BFF's routes (/auth/*, /callback), the proxy to the API, the page.
import { readFile } from 'node:fs/promises';
import http from 'node:http';
import { createCognitoBff, toNodeHandler } from 'cognito-spa-auth/server';

const bff = createCognitoBff({
  authority: 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_ABC123DEF', // the user pool's issuer
  domain: 'https://my-app.auth.us-east-1.amazoncognito.com', // the hosted UI: no discovery request
  clientId: '1a2b3c4d5e6f7g8h9i0j1k2l3m', // a confidential app client...
  clientSecret: process.env.COGNITO_CLIENT_SECRET!, // ...and its secret: on the server, never in a page
  callbackUrl: 'https://app.example.com/callback', // an allowed callback URL; the BFF answers it
  cookieSecret: process.env.COOKIE_SECRET!, // 32+ random characters; [newest, older] to rotate
  proxy: { '/api': 'https://api.example.com/v1' }, // /api/* to the API, with Authorization: Bearer
});

// Every other request: the app's page.
const page = async (_req: http.IncomingMessage, res: http.ServerResponse) => {
  res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' }).end(await readFile('dist/index.html'));
};

http.createServer(toNodeHandler(bff, page)).listen(3000);
// Express, before any body parser: app.use(toNodeHandler(bff)). Bun, Deno, edge: await bff.handler(request) ?? yours.
