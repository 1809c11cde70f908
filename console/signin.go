package console

import (
	"errors"
	"net/http"
	"slices"

	"github.com/caseflow/caseflow/auth"
	"github.com/caseflow/caseflow/store"
)

type signInData struct {
	OIDC  bool
	Users []store.User
}

// signInPage offers the identity provider and, under caseflow dev only,
// the demo users.
func (c *Console) signInPage(r *request) {
	d := signInData{OIDC: c.oidc != nil}
	if c.dev {
		users, err := c.store.ListUsers(r.Request.Context())
		if err != nil {
			c.logger.Error("console dev sign-in", "err", err)
			r.fail(http.StatusServiceUnavailable, "error.unavailable")
			return
		}
		d.Users = users
	}
	p := r.page("signin.title")
	p.Data = d
	if r.Query("signedout") == "1" {
		p.Flash = r.lang.T("signedout")
	}
	r.renderPage(http.StatusOK, "signin", p)
}

// devSignIn signs in as a demo user with no credential; it exists only under
// caseflow dev (Deps.DevSignIn), so caseflow server answers it 404.
func (c *Console) devSignIn(r *request) {
	if !c.dev {
		r.fail(http.StatusNotFound, "error.notfound")
		return
	}
	u, err := c.store.GetUser(r.Request.Context(), r.PostForm("user_id"))
	if errors.Is(err, store.ErrNotFound) {
		r.fail(http.StatusBadRequest, "signin.failed")
		return
	}
	if err != nil {
		c.logger.Error("console dev sign-in", "err", err)
		r.fail(http.StatusServiceUnavailable, "error.unavailable")
		return
	}
	if err := c.signIn(r.Request.Context(), r.Writer, principalOfUser(u)); err != nil {
		c.logger.Error("console sign-in", "err", err)
		r.fail(http.StatusServiceUnavailable, "error.unavailable")
		return
	}
	r.seeOther("/console/")
}

func principalOfUser(u store.User) auth.Principal {
	p := auth.Principal{UserID: u.ID, Name: u.Name, Department: auth.Department(u.Department)}
	for _, role := range u.Roles {
		if auth.ValidRole(role) && !slices.Contains(p.Roles, auth.Role(role)) {
			p.Roles = append(p.Roles, auth.Role(role))
		}
	}
	return p
}

func (c *Console) signOutAction(r *request) {
	if err := c.signOut(r.Writer, r.Request, r.session); err != nil {
		c.logger.Error("console sign-out", "err", err)
		r.fail(http.StatusServiceUnavailable, "error.unavailable")
		return
	}
	r.seeOther("/console/signin?signedout=1")
}
