package actorsig_test

import (
	"encoding/base64"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/caseflow/caseflow/actorsig"
)

type actor struct {
	UserID     string   `json:"user_id"`
	Department string   `json:"department"`
	Roles      []string `json:"roles"`
}

type body struct {
	Decision string `json:"decision"`
	Quantity int64  `json:"quantity"`
}

func keyring(t *testing.T, spec string) *actorsig.Keyring {
	t.Helper()
	k, err := actorsig.Parse(spec)
	require.NoError(t, err)
	return k
}

func secret(b byte) string {
	return base64.StdEncoding.EncodeToString([]byte(strings.Repeat(string(rune(b)), 32)))
}

func TestVerifyRefusesAnythingChanged(t *testing.T) {
	k := keyring(t, "a:"+secret('a'))
	who := actor{UserID: "u1", Department: "quality", Roles: []string{"approver"}}
	what := body{Decision: "approve", Quantity: 1 << 60}
	sig, err := k.Sign("upd-1", "approvals", who, what)
	require.NoError(t, err)
	require.Equal(t, "a", sig.KeyID)
	require.NoError(t, k.Verify(sig, "upd-1", "approvals", who, what))

	mallory := who
	mallory.UserID = "mallory"
	tests := []struct {
		name     string
		sig      *actorsig.Signature
		updateID string
		update   string
		actor    any
		body     any
		want     error
	}{
		{"update id", sig, "upd-2", "approvals", who, what, actorsig.ErrForged},
		{"update name", sig, "upd-1", "withdraw", who, what, actorsig.ErrForged},
		{"actor", sig, "upd-1", "approvals", mallory, what, actorsig.ErrForged},
		{"body", sig, "upd-1", "approvals", who, body{Decision: "reject", Quantity: 1 << 60}, actorsig.ErrForged},
		{"large number", sig, "upd-1", "approvals", who, body{Decision: "approve", Quantity: 1<<60 + 1}, actorsig.ErrForged},
		{"unsigned", nil, "upd-1", "approvals", who, what, actorsig.ErrUnsigned},
		{"empty mac", &actorsig.Signature{KeyID: "a"}, "upd-1", "approvals", who, what, actorsig.ErrUnsigned},
		{"unknown key id", &actorsig.Signature{KeyID: "b", MAC: sig.MAC}, "upd-1", "approvals", who, what, actorsig.ErrUnknownKey},
		{"mac not base64", &actorsig.Signature{KeyID: "a", MAC: "!!"}, "upd-1", "approvals", who, what, actorsig.ErrForged},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			require.ErrorIs(t, k.Verify(tt.sig, tt.updateID, tt.update, tt.actor, tt.body), tt.want)
		})
	}
}

func TestAnotherKeyWithTheSameIDDoesNotVerify(t *testing.T) {
	sig, err := keyring(t, "a:"+secret('x')).Sign("u", "withdraw", actor{UserID: "u1"}, body{})
	require.NoError(t, err)
	require.ErrorIs(t, keyring(t, "a:"+secret('a')).Verify(sig, "u", "withdraw", actor{UserID: "u1"}, body{}), actorsig.ErrForged)
}

func TestCanonicalJSONIgnoresKeyOrder(t *testing.T) {
	k := keyring(t, "a:"+secret('a'))
	sig, err := k.Sign("u", "n", map[string]any{"b": 1, "a": "x"}, map[string]any{"z": []int{1, 2}, "y": nil})
	require.NoError(t, err)
	require.NoError(t, k.Verify(sig, "u", "n", struct {
		A string `json:"a"`
		B int    `json:"b"`
	}{"x", 1}, struct {
		Y *int  `json:"y"`
		Z []int `json:"z"`
	}{nil, []int{1, 2}}))
}

func TestRotation(t *testing.T) {
	old := keyring(t, "old:"+secret('o'))
	rotated := keyring(t, "new:"+secret('n')+",old:"+secret('o'))
	who, what := actor{UserID: "u1"}, body{Decision: "approve"}

	before, err := old.Sign("u", "approvals", who, what)
	require.NoError(t, err)
	require.NoError(t, rotated.Verify(before, "u", "approvals", who, what), "a step signed before the rotation still verifies")

	after, err := rotated.Sign("u", "approvals", who, what)
	require.NoError(t, err)
	require.Equal(t, "new", after.KeyID, "the first key signs")
	require.NoError(t, rotated.Verify(after, "u", "approvals", who, what))
	require.ErrorIs(t, old.Verify(after, "u", "approvals", who, what), actorsig.ErrUnknownKey)
}

func TestParse(t *testing.T) {
	tests := []struct {
		spec, problem string
	}{
		{"", "want id:base64key"},
		{"nokey", "want id:base64key"},
		{":" + secret('a'), "want id:base64key"},
		{"a:not base64", "not base64"},
		{"a:" + base64.StdEncoding.EncodeToString([]byte("short")), "want at least 32"},
		{"a:" + secret('a') + ",a:" + secret('b'), "used twice"},
	}
	for _, tt := range tests {
		t.Run(tt.spec, func(t *testing.T) {
			_, err := actorsig.Parse(tt.spec)
			require.ErrorContains(t, err, tt.problem)
		})
	}
	k := keyring(t, " a:"+secret('a')+" , b:"+secret('b'))
	require.Equal(t, []string{"a", "b"}, k.KeyIDs())
}

func TestGenerateRoundTripsThroughString(t *testing.T) {
	k, err := actorsig.Generate()
	require.NoError(t, err)
	sig, err := k.Sign("u", "n", actor{}, body{})
	require.NoError(t, err)
	again := keyring(t, k.String())
	require.NoError(t, again.Verify(sig, "u", "n", actor{}, body{}))

	other, err := actorsig.Generate()
	require.NoError(t, err)
	require.NotEqual(t, k.KeyIDs(), other.KeyIDs())
	require.Error(t, other.Verify(sig, "u", "n", actor{}, body{}))
}

func TestNoKeysVerifyNothing(t *testing.T) {
	var k *actorsig.Keyring
	_, err := k.Sign("u", "n", actor{}, body{})
	require.ErrorIs(t, err, actorsig.ErrNoKeys)
	require.ErrorIs(t, k.Verify(&actorsig.Signature{KeyID: "a", MAC: "x"}, "u", "n", actor{}, body{}), actorsig.ErrNoKeys)
}

func TestWithVerifiesBothAndSignsWithTheFirst(t *testing.T) {
	a, b := keyring(t, "a:"+secret('a')), keyring(t, "b:"+secret('b'))
	// Two keys under one id (two generated keyrings that drew the same id).
	clash := keyring(t, "a:"+secret('c'))
	merged := a.With(b).With(clash)
	who, what := actor{UserID: "u1"}, body{Decision: "approve"}
	for _, k := range []*actorsig.Keyring{a, b, clash} {
		sig, err := k.Sign("u", "approvals", who, what)
		require.NoError(t, err)
		require.NoError(t, merged.Verify(sig, "u", "approvals", who, what))
	}
	sig, err := merged.Sign("u", "approvals", who, what)
	require.NoError(t, err)
	require.Equal(t, "a", sig.KeyID)
	forged, err := keyring(t, "b:"+secret('x')).Sign("u", "approvals", who, what)
	require.NoError(t, err)
	require.ErrorIs(t, merged.Verify(forged, "u", "approvals", who, what), actorsig.ErrForged)
	require.NoError(t, (*actorsig.Keyring)(nil).With(a).Verify(sig, "u", "approvals", who, what))
}
