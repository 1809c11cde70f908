package app

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/caseflow/caseflow/actorsig"
)

// ActorKeysFile is where `caseflow dev` keeps its generated actor key, in
// the data dir, so that a restart still verifies the steps signed before.
const ActorKeysFile = "actor-keys"

// actorKeys reads CASEFLOW_ACTOR_KEYS, which the API server and the worker
// must share: the server signs each step's actor with it and the workflows
// refuse any step it does not verify.
func (c Config) actorKeys() (*actorsig.Keyring, error) {
	if c.ActorKeys == "" {
		return nil, errors.New("CASEFLOW_ACTOR_KEYS is not set: the API server and the worker need the same key " +
			`to sign and verify who takes each step, e.g. CASEFLOW_ACTOR_KEYS="k1:$(openssl rand -base64 32)"`)
	}
	k, err := actorsig.Parse(c.ActorKeys)
	if err != nil {
		return nil, fmt.Errorf("CASEFLOW_ACTOR_KEYS: %w", err)
	}
	return k, nil
}

// devActorKeys are CASEFLOW_ACTOR_KEYS when set, else the key in the data
// dir, generated on the first start.
func devActorKeys(c Config) (*actorsig.Keyring, error) {
	if c.ActorKeys != "" {
		return c.actorKeys()
	}
	path := filepath.Join(c.DataDir, ActorKeysFile)
	text, err := devKeyFile(path, func() (string, error) {
		k, err := actorsig.Generate()
		if err != nil {
			return "", err
		}
		return k.String(), nil
	})
	if err != nil {
		return nil, fmt.Errorf("actor keys: %w", err)
	}
	k, err := actorsig.Parse(text)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return k, nil
}

// devKeyFile reads a key that `caseflow dev` keeps in its data dir (0600),
// written by generate on the first start.
func devKeyFile(path string, generate func() (string, error)) (string, error) {
	raw, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		text, err := generate()
		if err != nil {
			return "", err
		}
		return text, os.WriteFile(path, []byte(text+"\n"), 0o600)
	}
	return strings.TrimSpace(string(raw)), err
}
