//go:build fault

package app_test

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"net"
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/caseflow/caseflow/store/storetest"
)

// storeOutage makes the case store refuse every caller until it ends.
type storeOutage interface {
	begin(ctx context.Context) error
	end() error
}

// newStoreOutage returns the outage of the store at databaseURL; t.Cleanup
// ends one still running, so a failed test leaves the database usable.
func newStoreOutage(t *testing.T, databaseURL string) storeOutage {
	t.Helper()
	var o storeOutage
	if path, ok := strings.CutPrefix(databaseURL, "sqlite:"); ok {
		o = &sqliteOutage{path: path}
	} else {
		u, err := url.Parse(databaseURL)
		require.NoError(t, err)
		admin, err := sql.Open("postgres", os.Getenv(storetest.EnvDatabaseURL))
		require.NoError(t, err)
		t.Cleanup(func() { admin.Close() })
		o = &postgresOutage{admin: admin, name: strings.TrimPrefix(u.Path, "/")}
	}
	t.Cleanup(func() { _ = o.end() })
	return o
}

// postgresOutage refuses new connections to the case store's database and
// terminates the open ones, as a failover or a restart would.
type postgresOutage struct {
	admin *sql.DB
	name  string
}

func (o *postgresOutage) begin(ctx context.Context) error {
	if _, err := o.admin.ExecContext(ctx, fmt.Sprintf(`ALTER DATABASE %q WITH ALLOW_CONNECTIONS false`, o.name)); err != nil {
		return err
	}
	_, err := o.admin.ExecContext(ctx, `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
		WHERE datname = $1 AND pid <> pg_backend_pid()`, o.name)
	return err
}

func (o *postgresOutage) end() error {
	_, err := o.admin.ExecContext(context.Background(), fmt.Sprintf(`ALTER DATABASE %q WITH ALLOW_CONNECTIONS true`, o.name))
	return err
}

// sqliteOutage is SQLite's nearest honest equivalent: a file has no
// connections to refuse, and no process can lock it exclusively while
// others hold it open in WAL mode (each keeps a shared lock), so the test
// holds its write lock. Every write of the caseflow processes (registration,
// steps, clock events, the outbox, delivery states) then waits out its busy
// timeout and fails with SQLITE_BUSY, as a PostgreSQL caller fails to
// connect; reads still answer, as from a replica.
type sqliteOutage struct {
	path string
	mu   sync.Mutex
	db   *sql.DB
	conn *sql.Conn
}

func (o *sqliteOutage) begin(ctx context.Context) error {
	db, err := sql.Open("sqlite", "file:"+o.path+"?_pragma=busy_timeout(30000)")
	if err != nil {
		return err
	}
	conn, err := db.Conn(ctx)
	if err == nil {
		_, err = conn.ExecContext(ctx, "BEGIN IMMEDIATE")
	}
	if err != nil {
		db.Close()
		return fmt.Errorf("lock %s: %w", o.path, err)
	}
	o.mu.Lock()
	o.db, o.conn = db, conn
	o.mu.Unlock()
	return nil
}

func (o *sqliteOutage) end() error {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.db == nil {
		return nil
	}
	_, _ = o.conn.ExecContext(context.Background(), "ROLLBACK")
	o.conn.Close()
	err := o.db.Close()
	o.db, o.conn = nil, nil
	return err
}

// switchProxy forwards TCP connections to a receiver while up. Down closes
// its listener and cuts every open connection, so senders see the receiver
// gone (connection refused) until it is up again on the same address.
type switchProxy struct {
	addr   string
	target string
	mu     sync.Mutex
	ln     net.Listener
	conns  map[net.Conn]struct{}
}

func newSwitchProxy(t *testing.T, target string) *switchProxy {
	t.Helper()
	p := &switchProxy{target: target, conns: map[net.Conn]struct{}{}}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	p.addr = ln.Addr().String()
	p.serve(ln)
	t.Cleanup(p.down)
	return p
}

func (p *switchProxy) serve(ln net.Listener) {
	p.mu.Lock()
	p.ln = ln
	p.mu.Unlock()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go p.forward(c)
		}
	}()
}

func (p *switchProxy) forward(c net.Conn) {
	u, err := net.Dial("tcp", p.target)
	if err != nil {
		c.Close()
		return
	}
	p.mu.Lock()
	if p.ln == nil { // went down meanwhile
		p.mu.Unlock()
		c.Close()
		u.Close()
		return
	}
	p.conns[c], p.conns[u] = struct{}{}, struct{}{}
	p.mu.Unlock()
	done := make(chan struct{}, 2)
	go func() { _, _ = io.Copy(u, c); done <- struct{}{} }()
	go func() { _, _ = io.Copy(c, u); done <- struct{}{} }()
	<-done
	c.Close()
	u.Close()
	p.mu.Lock()
	delete(p.conns, c)
	delete(p.conns, u)
	p.mu.Unlock()
}

// down takes the receiver away.
func (p *switchProxy) down() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.ln != nil {
		p.ln.Close()
		p.ln = nil
	}
	for c := range p.conns {
		c.Close()
	}
}

// up brings it back on its address.
func (p *switchProxy) up() error {
	ln, err := net.Listen("tcp", p.addr)
	if err != nil {
		return err
	}
	p.serve(ln)
	return nil
}
