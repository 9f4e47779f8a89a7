/**
 * Test support for the pages this service serves: Debian's Chromium (scripts/setup.sh installs it),
 * driven by playwright-core. Nothing here downloads a browser; the machine has no internet, so
 * Chromium's background networking, sync and component updates are off.
 */
import { type Browser, chromium } from 'playwright-core';

export function launchChromium(extraArgs: string[] = []): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      ...extraArgs,
    ],
  });
}
