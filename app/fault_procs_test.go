//go:build fault

package app_test

import (
	"bufio"
	"bytes"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// faultProc keeps one caseflow process running, as an orchestrator would: when
// it ends (killed, or refused to start while the store is down) it is
// started again after a short pause, until the test ends. Its output of
// every run goes to one log file.
type faultProc struct {
	name string
	cmd  []string
	env  []string
	log  string
	rng  *rand.Rand

	mu    sync.Mutex
	proc  *os.Process
	since time.Time // when the running process started
	// signalled: the running process was sent a signal and is ending
	signalled bool
	starts    int
	stopped   bool
	quit      chan struct{}
	done      chan struct{}
}

func startFaultProc(t *testing.T, name string, env map[string]string, rng *rand.Rand, cmd ...string) *faultProc {
	t.Helper()
	s := &faultProc{name: name, cmd: cmd, log: filepath.Join(t.TempDir(), name+".log"), rng: rng,
		quit: make(chan struct{}), done: make(chan struct{})}
	s.env = os.Environ()
	for k, v := range env {
		s.env = append(s.env, k+"="+v) // later entries win
	}
	go s.loop()
	// Nothing this test started outlives it.
	t.Cleanup(s.stop)
	return s
}

func (s *faultProc) loop() {
	defer close(s.done)
	for {
		logFile, err := os.OpenFile(s.log, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o600)
		if err != nil {
			return
		}
		cmd := exec.Command(s.cmd[0], s.cmd[1:]...)
		cmd.Env, cmd.Stdout, cmd.Stderr = s.env, logFile, logFile
		s.mu.Lock()
		if s.stopped {
			s.mu.Unlock()
			logFile.Close()
			return
		}
		err = cmd.Start()
		if err == nil {
			s.proc, s.since, s.signalled = cmd.Process, time.Now(), false
			s.starts++
		}
		s.mu.Unlock()
		if err == nil {
			_ = cmd.Wait()
		}
		logFile.Close()
		s.mu.Lock()
		s.proc = nil
		s.mu.Unlock()
		select {
		case <-s.quit:
			return
		case <-time.After(time.Duration(500+s.rng.IntN(1500)) * time.Millisecond):
		}
	}
}

// signal sends sig to the process if one has run for at least minUp, and
// reports whether it did.
func (s *faultProc) signal(sig syscall.Signal, minUp time.Duration) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.proc == nil || time.Since(s.since) < minUp {
		return false
	}
	if s.signalled || s.proc.Signal(sig) != nil {
		return false
	}
	s.signalled = true // on its way out: not signalled (or counted) again
	return true
}

// kill sends SIGKILL to the running process.
func (s *faultProc) kill() bool { return s.signal(syscall.SIGKILL, time.Second) }

// stop ends the supervision and SIGKILLs the process.
func (s *faultProc) stop() {
	s.mu.Lock()
	if !s.stopped {
		s.stopped = true
		close(s.quit)
		if s.proc != nil {
			_ = s.proc.Signal(syscall.SIGKILL)
		}
	}
	s.mu.Unlock()
	<-s.done
}

// tail returns the last n lines of the process's log.
func (s *faultProc) tail(n int) string {
	raw, err := os.ReadFile(s.log)
	if err != nil {
		return err.Error()
	}
	var lines []string
	sc := bufio.NewScanner(bytes.NewReader(raw))
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		lines = append(lines, sc.Text())
	}
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

// count returns how many lines of the service's log contain any of subs.
func (s *faultProc) count(subs ...string) int {
	raw, err := os.ReadFile(s.log)
	if err != nil {
		return 0
	}
	n := 0
	for _, line := range strings.Split(string(raw), "\n") {
		if slices.ContainsFunc(subs, func(sub string) bool { return strings.Contains(line, sub) }) {
			n++
		}
	}
	return n
}
