package server

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"sync"

	"golang.org/x/crypto/argon2"
)

// Password hashing: argon2id (RFC 9106) with OWASP's recommended minimum
// (19 MiB, 2 passes, 1 lane), stored as a PHC string so that the
// parameters can be raised later without invalidating stored hashes.
const (
	argonMemoryKiB = 19 * 1024
	argonTime      = 2
	argonThreads   = 1
	argonKeyLen    = 32
	argonSaltLen   = 16
	// MinPasswordLen is the shortest accepted password.
	MinPasswordLen = 10
	// MaxPasswordLen bounds the work of one hash.
	MaxPasswordLen = 1024
)

// ErrWeakPassword: the password is too short or too long.
var ErrWeakPassword = errors.New("password must be 10 to 1024 characters")

// HashPassword returns the argon2id PHC string of password.
func HashPassword(password string) (string, error) {
	if n := len([]rune(password)); n < MinPasswordLen || len(password) > MaxPasswordLen {
		return "", fmt.Errorf("%w (got %d)", ErrWeakPassword, n)
	}
	salt := make([]byte, argonSaltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", err
	}
	key := argon2.IDKey([]byte(password), salt, argonTime, argonMemoryKiB, argonThreads, argonKeyLen)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, argonMemoryKiB, argonTime, argonThreads,
		b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

// VerifyPassword reports whether password matches the PHC string phc, in
// time independent of where they differ.
func VerifyPassword(phc, password string) bool {
	if len(password) > MaxPasswordLen {
		return false
	}
	parts := strings.Split(phc, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false
	}
	var v int
	var m uint32
	var t uint32
	var p uint8
	if _, err := fmt.Sscanf(parts[2], "v=%d", &v); err != nil || v != argon2.Version {
		return false
	}
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &m, &t, &p); err != nil {
		return false
	}
	// Refuse parameters that would make one check a denial of service.
	if m == 0 || m > 1<<20 || t == 0 || t > 16 || p == 0 || p > 16 {
		return false
	}
	b64 := base64.RawStdEncoding
	salt, err := b64.DecodeString(parts[4])
	if err != nil {
		return false
	}
	want, err := b64.DecodeString(parts[5])
	if err != nil || len(want) == 0 || len(want) > 128 {
		return false
	}
	got := argon2.IDKey([]byte(password), salt, t, m, p, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1
}

// dummyHash is verified against when the user does not exist, so that a
// wrong name costs as much time as a wrong password.
var dummyHash = sync.OnceValue(func() string {
	h, err := HashPassword("not-a-real-password-" + randomToken(8))
	if err != nil {
		panic("BUG: hash dummy password: " + err.Error())
	}
	return h
})

// randomToken returns n random bytes, base64url-encoded.
func randomToken(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic("BUG: crypto/rand failed: " + err.Error())
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

// APITokenPrefix starts every API token, so that a leaked token is easy to
// recognise (secret scanners, logs).
const APITokenPrefix = "chorus_"

// NewAPIToken returns a new API token (256 random bits) and the hash the
// store keeps.
func NewAPIToken() (token string, hash []byte) {
	token = APITokenPrefix + randomToken(32)
	return token, hashToken(token)
}

// hashToken is SHA-256: tokens carry 256 random bits, so a fast hash is
// enough (no dictionary to try).
func hashToken(token string) []byte {
	h := sha256.Sum256([]byte(token))
	return h[:]
}
