// Puppeteer (used by Ace by DAISY in the accessibility test) drives Debian's Chromium and
// never downloads a browser of its own: CI has no network beyond npm and Debian.
module.exports = {executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium'}
