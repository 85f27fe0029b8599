// Package web installs the web-platform globals mail tests reach for when they take links and
// payloads apart: URL and URLSearchParams (WHATWG, from goja_nodejs), atob/btoa, TextEncoder
// and TextDecoder. It must not grow into a Node compatibility layer.
package web
