package console

import (
	"fmt"
	"net/http"
	"net/url"
	"reflect"

	"github.com/google/uuid"

	"github.com/caseflow/caseflow/accounts"
	"github.com/caseflow/caseflow/store"
)

var newUserBody = reflect.TypeFor[accounts.NewUser]()

type userRow struct {
	User   store.User
	Tokens []store.Token
}

type usersData struct {
	Users    []userRow
	Create   form
	NewToken string
}

func (c *Console) users(r *request) { c.showUsers(r, http.StatusOK, nil, "") }

// showUsers draws the users page; failed is the create form shown again
// with its problems, newToken a secret to show once.
func (c *Console) showUsers(r *request, status int, failed *form, newToken string) {
	var list struct {
		Users []store.User `json:"users"`
	}
	if err := r.call(http.MethodGet, "/api/v1/admin/users", nil, "", &list); err != nil {
		r.failCall(err)
		return
	}
	d := usersData{NewToken: newToken}
	for _, u := range list.Users {
		var toks struct {
			Tokens []store.Token `json:"tokens"`
		}
		if err := r.call(http.MethodGet, "/api/v1/admin/users/"+url.PathEscape(u.ID)+"/tokens", nil, "", &toks); err != nil {
			r.failCall(err)
			return
		}
		d.Users = append(d.Users, userRow{User: u, Tokens: toks.Tokens})
	}
	if failed != nil {
		d.Create = *failed
	} else {
		d.Create = form{Title: r.lang.T("users.create"), Action: "/console/users", Fields: fieldsOf(r.lang, newUserBody),
			Key: uuid.NewString(), CSRF: r.session.csrf, Lang: r.lang}
	}
	p := r.page("users.title")
	p.Data = d
	if newToken != "" {
		p.Flash = fmt.Sprintf(r.lang.T("users.token"), newToken)
	}
	r.renderPage(status, "users", p)
}

func (c *Console) createUser(r *request) {
	if err := r.Request.ParseForm(); err != nil {
		r.fail(http.StatusBadRequest, "error.fields")
		return
	}
	values := formValues(r.Request.PostForm)
	fields := fieldsOf(r.lang, newUserBody)
	var created struct {
		Token string `json:"token"`
	}
	err := r.call(http.MethodPost, "/api/v1/admin/users", jsonBody(fields, values), r.PostForm("idempotency_key"), &created)
	if err == nil {
		c.showUsers(r, http.StatusCreated, nil, created.Token)
		return
	}
	status, msg, problems := r.refusal(err)
	f := form{Title: r.lang.T("users.create"), Action: "/console/users", Key: r.PostForm("idempotency_key"),
		CSRF: r.session.csrf, Lang: r.lang, Fields: fill(r.lang, fields, values, problems), Error: msg}
	c.showUsers(r, status, &f, "")
}

func (c *Console) issueToken(r *request) {
	var issued struct {
		Token string `json:"token"`
	}
	err := r.call(http.MethodPost, "/api/v1/admin/users/"+url.PathEscape(r.Param("id"))+"/tokens", nil,
		r.PostForm("idempotency_key"), &issued)
	if err != nil {
		r.failCall(err)
		return
	}
	c.showUsers(r, http.StatusCreated, nil, issued.Token)
}

func (c *Console) revokeToken(r *request) {
	if err := r.call(http.MethodDelete, "/api/v1/admin/tokens/"+url.PathEscape(r.Param("id")), nil, "", nil); err != nil {
		r.failCall(err)
		return
	}
	r.seeOther("/console/users")
}

type notificationsData struct {
	Items    []store.OutboxEntry
	NextHref string
}

// notifications lists the user's own notifications, newest first.
func (c *Console) notifications(r *request) {
	q := url.Values{"recipient": {r.session.principal.UserID}, "limit": {"50"}}
	if cur := r.Query("cursor"); cur != "" {
		q.Set("cursor", cur)
	}
	var page struct {
		Notifications []store.OutboxEntry `json:"notifications"`
		NextCursor    string              `json:"next_cursor"`
	}
	if err := r.call(http.MethodGet, "/api/v1/notifications?"+q.Encode(), nil, "", &page); err != nil {
		r.failCall(err)
		return
	}
	d := notificationsData{Items: page.Notifications}
	if page.NextCursor != "" {
		d.NextHref = "/console/notifications?cursor=" + url.QueryEscape(page.NextCursor)
	}
	r.render(http.StatusOK, "notifications", "notifications.title", d)
}
