// The script-tag build of the BFF client: `window.CognitoAuth`, as the main script-tag build names it.
export { createCognitoAuth, AuthError, isAuthError } from './index.js';
