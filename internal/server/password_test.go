package server

import (
	"strings"
	"testing"
)

// TestPasswordHash: argon2id PHC strings, salted (two hashes of one
// password differ), verified only by the right password; malformed or
// abusive parameters are refused without work; weak passwords refused.
func TestPasswordHash(t *testing.T) {
	h1, err := HashPassword(testPassword)
	if err != nil {
		t.Fatal(err)
	}
	h2, _ := HashPassword(testPassword)
	if !strings.HasPrefix(h1, "$argon2id$v=19$m=19456,t=2,p=1$") || h1 == h2 {
		t.Errorf("hashes %q %q: want salted argon2id PHC strings", h1, h2)
	}
	if !VerifyPassword(h1, testPassword) || VerifyPassword(h1, testPassword+"x") || VerifyPassword(h1, "") {
		t.Error("verification wrong")
	}
	for _, bad := range []string{"", "$argon2id$v=19$m=19456,t=2,p=1$", "$argon2i$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA",
		"$argon2id$v=19$m=4194304,t=2,p=1$c2FsdA$aGFzaA", "$argon2id$v=19$m=19456,t=1000,p=1$c2FsdA$aGFzaA", "$argon2id$v=18$m=19456,t=2,p=1$c2FsdA$aGFzaA"} {
		if VerifyPassword(bad, testPassword) {
			t.Errorf("VerifyPassword(%q) accepted", bad)
		}
	}
	for _, pw := range []string{"short", strings.Repeat("x", MaxPasswordLen+1)} {
		if _, err := HashPassword(pw); err == nil {
			t.Errorf("HashPassword accepted a password of %d bytes", len(pw))
		}
	}
}

func BenchmarkVerifyPassword(b *testing.B) {
	h, _ := HashPassword(testPassword)
	b.ReportAllocs()
	for b.Loop() {
		VerifyPassword(h, testPassword)
	}
}
