// The e2e browser helper itself.
import { existsSync } from 'node:fs';

import { describe, expect, it } from 'vitest';

import { CHROMIUM, launchBrowser } from './browser.js';

describe('launchBrowser', () => {
  it('says how to install Chromium when it is missing', async () => {
    await expect(launchBrowser({ executablePath: '/nonexistent/chromium' })).rejects.toThrow(
      'Chromium not found at /nonexistent/chromium: install it with `apt-get update && apt-get install -y chromium` (CI\'s .ci/run does this)',
    );
  });

  it('starts Chromium with a fresh profile and removes it on close', async () => {
    expect(existsSync(CHROMIUM)).toBe(true);
    const b = await launchBrowser();
    let profile = '';
    try {
      expect(b.page.url()).toBe('about:blank');
      await b.page.setContent('<p>hello</p>');
      expect(await b.page.textContent('p')).toBe('hello');
      profile = b.profile;
      expect(existsSync(profile)).toBe(true);
    } finally {
      await b.close();
    }
    expect(existsSync(profile)).toBe(false);
  });
});
