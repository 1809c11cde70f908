package auth

import "context"

// inProcessKey carries a principal that Go code in this process has already
// authenticated (the console's session); it is an unexported type, so no
// request from outside can set it.
type inProcessKey struct{}

// WithPrincipal returns ctx carrying p, for an in-process call of the API
// on behalf of a caller authenticated another way (the console's session
// cookie). The API then authorizes p by the same route table as any caller.
func WithPrincipal(ctx context.Context, p Principal) context.Context {
	return context.WithValue(ctx, inProcessKey{}, p)
}

// PrincipalFrom returns the principal WithPrincipal put in ctx.
func PrincipalFrom(ctx context.Context) (Principal, bool) {
	p, ok := ctx.Value(inProcessKey{}).(Principal)
	return p, ok && p.UserID != ""
}
