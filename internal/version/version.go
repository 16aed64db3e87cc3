// Package version reports chorus's version, recorded in every output.
package version

import "runtime/debug"

// Version is the release version; set with -ldflags "-X ...version.Version=v1.2.3".
var Version = "0.1.0-dev"

// String returns the version plus the VCS revision when the binary was
// built from a checkout with VCS stamping.
func String() string {
	v := Version
	if bi, ok := debug.ReadBuildInfo(); ok {
		rev, dirty := "", false
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				rev = s.Value
			case "vcs.modified":
				dirty = s.Value == "true"
			}
		}
		if len(rev) > 12 {
			rev = rev[:12]
		}
		if rev != "" {
			v += "+" + rev
			if dirty {
				v += "-dirty"
			}
		}
	}
	return v
}
