package auth

import "strings"

// ClaimNames says which claims of an identity provider's token carry the
// caller's department, roles and display name. The API's JWTs and the
// console's OpenID Connect ID tokens map them the same way, here.
type ClaimNames struct {
	Department, Roles, Name string
}

// PrincipalFromClaims maps a verified token's claims to the principal it
// vouches for. A department or role the vocabulary does not know is
// dropped rather than refused, so that a provider's extra groups do no
// harm; the caller decides whether what remains is enough. The display
// name falls back to the subject so that every actor has one.
func PrincipalFromClaims(claims map[string]any, subject string, names ClaimNames) Principal {
	p := Principal{UserID: subject, Name: stringClaim(claims, names.Name)}
	if p.Name == "" {
		p.Name = subject
	}
	if d := stringClaim(claims, names.Department); ValidDepartment(d) {
		p.Department = Department(d)
	}
	for _, r := range ListClaim(claims, names.Roles) {
		if ValidRole(r) {
			p.Roles = append(p.Roles, Role(r))
		}
	}
	return p
}

func stringClaim(claims map[string]any, name string) string {
	s, _ := claims[name].(string)
	return s
}

// ListClaim reads a JSON list of strings or a space-separated string, the
// two shapes identity providers use for roles.
func ListClaim(claims map[string]any, name string) []string {
	switch v := claims[name].(type) {
	case string:
		return strings.Fields(v)
	case []any:
		out := make([]string, 0, len(v))
		for _, item := range v {
			if s, ok := item.(string); ok {
				out = append(out, s)
			}
		}
		return out
	}
	return nil
}
