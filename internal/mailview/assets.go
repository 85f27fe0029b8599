package mailview

import (
	"embed"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
)

// The script and style sheet that render a Message; see mailview.js for its API.
//
//go:embed mailview.js mailview.css
var assets embed.FS

// AssetNames are the files Assets holds, as a page links them: <script src="mailview.js">
// and <link rel="stylesheet" href="mailview.css">.
var AssetNames = []string{"mailview.js", "mailview.css"}

// Assets is the message view's files, named as in AssetNames.
func Assets() fs.FS { return assets }

// Handler serves the assets at /mailview.js and /mailview.css; mount it under a prefix with
// http.StripPrefix.
func Handler() http.Handler { return http.FileServerFS(assets) }

// WriteAssets copies the assets into dir (a report's folder), which must exist.
func WriteAssets(dir string) error {
	for _, name := range AssetNames {
		b, err := assets.ReadFile(name)
		if err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			return err
		}
	}
	return nil
}
