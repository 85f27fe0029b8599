package emulator

import (
	"embed"
	"io/fs"
	"net/http"
	"slices"
	"strings"

	"github.com/mailscript/mailscript/internal/mailview"
)

// The web viewer's page, script and style sheet: plain files, no build step, nothing fetched
// from elsewhere.
//
//go:embed ui
var uiFiles embed.FS

// viewerPolicy is the viewer's Content-Security-Policy. Everything comes from the emulator
// itself; the page builds its DOM with textContent, never from markup. The HTML body of a
// mail is shown in a sandboxed srcdoc frame, which inherits this policy on top of its own
// (mailview's): so inline styles (mail is styled inline), data: images and fonts (cid: parts
// come as data: URLs) and, once the person clicks "Load remote images", http(s) images must
// pass here too. No script but the emulator's runs, nothing frames the viewer, no form posts.
const viewerPolicy = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: http: https:; " +
	"font-src 'self' data:; frame-src 'self'; child-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

// viewerHeaders are set on the page and its assets.
func viewerHeaders(w http.ResponseWriter) {
	h := w.Header()
	h.Set("Content-Security-Policy", viewerPolicy)
	h.Set("X-Frame-Options", "DENY")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("Cache-Control", "no-cache")
}

// viewerPage serves the viewer at / (GET and HEAD only; the root is no Graph or Gmail route,
// and no SDK requests it).
func viewerPage(w http.ResponseWriter, r *http.Request) {
	viewerHeaders(w)
	http.ServeFileFS(w, r, uiFiles, "ui/index.html")
}

// viewerAssets serves /_emulator/ui/{file}: the viewer's own files and mailview's.
func viewerAssets() http.Handler {
	own, _ := fs.Sub(uiFiles, "ui")
	files := http.StripPrefix("/_emulator/ui/", http.FileServerFS(own))
	shared := http.StripPrefix("/_emulator/ui/", mailview.Handler())
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/") { // files only, no directory listing
			http.NotFound(w, r)
			return
		}
		viewerHeaders(w)
		if slices.Contains(mailview.AssetNames, strings.TrimPrefix(r.URL.Path, "/_emulator/ui/")) {
			shared.ServeHTTP(w, r)
			return
		}
		files.ServeHTTP(w, r)
	})
}
