// Package web holds the dashboard of `chorus serve`: its source (src/,
// index.html, built with npm and vite; see README.md) and the built files
// in dist/, which are committed and embedded here so that `go build` needs
// no npm.
package web

import (
	"embed"
	"io/fs"
)

//go:embed all:dist
var dist embed.FS

// Dist returns the built dashboard (index.html and assets/).
func Dist() fs.FS {
	sub, err := fs.Sub(dist, "dist")
	if err != nil {
		panic("BUG: web/dist missing from the embedded files: " + err.Error())
	}
	return sub
}
