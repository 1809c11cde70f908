package temporalembed

import (
	"context"
	"fmt"
	"log/slog"

	"go.temporal.io/server/common/log"
	"go.temporal.io/server/common/log/tag"
)

// serverLogLevel is the lowest level of the embedded server's own logs that we pass on:
// at INFO and below the server logs dozens of lines per second about shards, task queues
// and membership, which drown the application's logs.
const serverLogLevel = slog.LevelWarn

// stoppingLogLevel applies once Stop begins: while the services shut down one by one,
// the rest log connection-refused and failed-poll warnings that mean nothing.
const stoppingLogLevel = slog.LevelError

// slogLogger adapts temporal's log.Logger to a *slog.Logger, dropping records below
// serverLogLevel. It also implements log.SLogWrapper so that server components that
// ask for an slog.Logger get the same (filtered) destination.
type slogLogger struct {
	l *slog.Logger
}

var (
	_ log.Logger      = slogLogger{}
	_ log.WithLogger  = slogLogger{}
	_ log.SLogWrapper = slogLogger{}
)

// newSlogLogger returns the server's logger, which passes records at level and above.
func newSlogLogger(l *slog.Logger, level slog.Leveler) slogLogger {
	return slogLogger{l: slog.New(minLevelHandler{h: l.Handler(), min: level}).With("component", "temporal")}
}

func (s slogLogger) Debug(msg string, tags ...tag.Tag) { s.log(slog.LevelDebug, msg, tags) }
func (s slogLogger) Info(msg string, tags ...tag.Tag)  { s.log(slog.LevelInfo, msg, tags) }
func (s slogLogger) Warn(msg string, tags ...tag.Tag)  { s.log(slog.LevelWarn, msg, tags) }
func (s slogLogger) Error(msg string, tags ...tag.Tag) { s.log(slog.LevelError, msg, tags) }

// DPanic only logs, like zap's production logger does.
func (s slogLogger) DPanic(msg string, tags ...tag.Tag) { s.log(slog.LevelError, msg, tags) }

// Panic logs and panics, as the server code calling it expects.
func (s slogLogger) Panic(msg string, tags ...tag.Tag) {
	s.log(slog.LevelError, msg, tags)
	panic(msg)
}

// Fatal logs and panics instead of calling os.Exit: a library must not end its host
// process silently, and a panic at least carries a stack trace. The server calls Fatal
// e.g. when it cannot bind a port; Start checks ports beforehand to make that unlikely.
func (s slogLogger) Fatal(msg string, tags ...tag.Tag) {
	s.log(slog.LevelError, msg, tags)
	for _, t := range tags {
		msg += fmt.Sprintf(" %s=%v", t.Key(), t.Value())
	}
	panic("temporal server: fatal: " + msg)
}

func (s slogLogger) With(tags ...tag.Tag) log.Logger {
	args := make([]any, len(tags))
	for i, t := range tagsToAttrs(tags) {
		args[i] = t
	}
	return slogLogger{l: s.l.With(args...)}
}

func (s slogLogger) SLog() *slog.Logger { return s.l }

func (s slogLogger) log(level slog.Level, msg string, tags []tag.Tag) {
	ctx := context.Background()
	if !s.l.Enabled(ctx, level) {
		return
	}
	s.l.LogAttrs(ctx, level, msg, tagsToAttrs(tags)...)
}

func tagsToAttrs(tags []tag.Tag) []slog.Attr {
	attrs := make([]slog.Attr, len(tags))
	for i, t := range tags {
		attrs[i] = slog.Any(t.Key(), lazyTag{t})
	}
	return attrs
}

// lazyTag defers tag.Value, which encodes a zap field, until a record is actually
// written: the server attaches tags through With far more often than it logs at WARN.
type lazyTag struct{ t tag.Tag }

func (l lazyTag) LogValue() slog.Value { return slog.AnyValue(l.t.Value()) }

// minLevelHandler drops records below min before they reach the wrapped handler.
type minLevelHandler struct {
	h   slog.Handler
	min slog.Leveler
}

func (m minLevelHandler) Enabled(ctx context.Context, l slog.Level) bool {
	return l >= m.min.Level() && m.h.Enabled(ctx, l)
}

func (m minLevelHandler) Handle(ctx context.Context, r slog.Record) error {
	if r.Level < m.min.Level() {
		return nil
	}
	return m.h.Handle(ctx, r)
}

func (m minLevelHandler) WithAttrs(attrs []slog.Attr) slog.Handler {
	return minLevelHandler{h: m.h.WithAttrs(attrs), min: m.min}
}

func (m minLevelHandler) WithGroup(name string) slog.Handler {
	return minLevelHandler{h: m.h.WithGroup(name), min: m.min}
}
