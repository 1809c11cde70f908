package console

import (
	"net/http"
	"net/url"
	"time"

	"github.com/caseflow/caseflow/complaint"
	"github.com/caseflow/caseflow/store"
)

type customersData struct {
	Query, Region, Class string
	KeyOnly              bool
	Classes              []option
	Customers            []store.Customer
	NextHref             string
}

// customers searches the customer archive by the API's filters.
func (c *Console) customers(r *request) {
	d := customersData{Query: r.Query("q"), Region: r.Query("region"), Class: r.Query("class"),
		KeyOnly: r.Query("key_customer") == "true"}
	for _, cl := range complaint.CustomerClasses() {
		d.Classes = append(d.Classes, option{Value: cl, Label: cl, Selected: cl == d.Class})
	}
	q := url.Values{"limit": {"50"}}
	for name, v := range map[string]string{"q": d.Query, "region": d.Region, "class": d.Class,
		"cursor": r.Query("cursor")} {
		if v != "" {
			q.Set(name, v)
		}
	}
	if d.KeyOnly {
		q.Set("key_customer", "true")
	}
	var page store.CustomerPage
	if err := r.call(http.MethodGet, "/api/v1/customers?"+q.Encode(), nil, "", &page); err != nil {
		r.failCall(err)
		return
	}
	d.Customers = page.Customers
	if page.NextCursor != "" {
		next := r.Request.URL.Query()
		next.Set("cursor", page.NextCursor)
		d.NextHref = "/console/customers?" + next.Encode()
	}
	r.render(http.StatusOK, "customers", "customers.title", d)
}

type customerData struct {
	Customer store.Customer
	// ErasedAt is when the customer's personal data was erased (the API's
	// erased_at), nil while it was not.
	ErasedAt  *time.Time
	Equipment []store.Equipment
	Cases     []caseRow
}

// customer shows a customer with its sites, contacts, equipment and latest
// cases.
func (c *Console) customer(r *request) {
	id := url.PathEscape(r.Param("id"))
	var view struct {
		store.Customer
		ErasedAt *time.Time `json:"erased_at"`
	}
	if err := r.call(http.MethodGet, "/api/v1/customers/"+id, nil, "", &view); err != nil {
		r.failCall(err)
		return
	}
	d := customerData{Customer: view.Customer, ErasedAt: view.ErasedAt}
	var eq store.EquipmentPage
	if err := r.call(http.MethodGet, "/api/v1/customers/"+id+"/equipment?limit=200", nil, "", &eq); err != nil {
		r.failCall(err)
		return
	}
	d.Equipment = eq.Equipment
	var cases store.CasePage
	if err := r.call(http.MethodGet, "/api/v1/complaints?limit=20&customer_id="+url.QueryEscape(r.Param("id")),
		nil, "", &cases); err != nil {
		r.failCall(err)
		return
	}
	now := c.now()
	for _, cs := range cases.Cases {
		d.Cases = append(d.Cases, rowOf(cs, now))
	}
	p := r.page("customers.title")
	p.Title = d.Customer.Name
	p.Data = d
	r.renderPage(http.StatusOK, "customer", p)
}
