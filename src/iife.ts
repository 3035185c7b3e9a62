// The script-tag build: every core export on `window.CognitoAuth`.
export * from './index.js';
