// Package browsertest starts a real headless Chromium, through chromedp, for the tests of
// mailscript's browser-facing pages (the HTML report, the emulator's web viewer). It records
// every request a page makes so a test can prove nothing left loopback. Tests only: no product
// code imports it.
package browsertest
