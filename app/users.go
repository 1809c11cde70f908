package app

import (
	"context"
	"flag"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/caseflow/caseflow/accounts"
	"github.com/caseflow/caseflow/notify"
	"github.com/caseflow/caseflow/store"
)

// cliActor is how the audit names changes made from the command line.
const cliActor = "caseflow users (command line)"

// runUsers manages users and tokens directly in the store: add, list,
// token, revoke. Without DATABASE_URL it works on the dev stack's store.
func runUsers(ctx context.Context, args []string, cfg Config, stdout io.Writer) error {
	if len(args) == 0 {
		return fmt.Errorf("%w: caseflow users add|list|token|revoke", ErrUsage)
	}
	st, err := openCLIStore(ctx, cfg)
	if err != nil {
		return err
	}
	defer st.Close()
	switch args[0] {
	case "add":
		webhooks, err := cfg.webhookTargets()
		if err != nil {
			return err
		}
		return usersAdd(ctx, st, webhooks, args[1:], stdout)
	case "list":
		return usersList(ctx, st, stdout)
	case "token":
		if len(args) != 2 {
			return fmt.Errorf("%w: caseflow users token USER_ID", ErrUsage)
		}
		tok, token, err := accounts.IssueToken(ctx, st, args[1], cliActor)
		if err != nil {
			return fmt.Errorf("issue token for %s: %w", args[1], err)
		}
		fmt.Fprintf(stdout, "token %s for user %s (shown once):\n%s\n", tok.ID, tok.UserID, token)
		return nil
	case "revoke":
		if len(args) != 2 {
			return fmt.Errorf("%w: caseflow users revoke TOKEN_ID", ErrUsage)
		}
		tok, err := st.RevokeToken(ctx, args[1], cliActor)
		if err != nil {
			return fmt.Errorf("revoke %s: %w", args[1], err)
		}
		fmt.Fprintf(stdout, "token %s (%s…) revoked at %s\n", tok.ID, tok.Hint, tok.RevokedAt.Format("2006-01-02 15:04:05Z07:00"))
		return nil
	default:
		return fmt.Errorf("%w: unknown users command %q", ErrUsage, args[0])
	}
}

func usersAdd(ctx context.Context, st *store.Store, webhooks notify.WebhookTargets, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("users add", flag.ContinueOnError)
	fs.SetOutput(stdout)
	var in accounts.NewUser
	var roles stringList
	fs.StringVar(&in.Name, "name", "", "display name (required)")
	fs.StringVar(&in.Department, "department", "", "after_sales, sales, technical, production, quality or branch_office (required)")
	fs.Var(&roles, "role", "agent, approver, engineer, supervisor or admin (repeat or comma-separate)")
	fs.StringVar(&in.Email, "email", "", "e-mail address for notifications")
	fs.StringVar(&in.WebhookURL, "webhook", "", "webhook URL for notifications")
	fs.StringVar(&in.ChatHandle, "chat", "", "chat handle for notifications")
	if err := fs.Parse(args); err != nil {
		return fmt.Errorf("%w: %v", ErrUsage, err)
	}
	in.Roles = roles
	if problems := in.Check(webhooks); len(problems) > 0 {
		var lines []string
		for _, field := range slices.Sorted(maps.Keys(problems)) {
			flag := strings.TrimSuffix(field, "s")
			if field == "webhook_url" {
				flag = "webhook"
			}
			lines = append(lines, fmt.Sprintf("--%s %s", flag, problems[field]))
		}
		return fmt.Errorf("%w: %s", ErrUsage, strings.Join(lines, "; "))
	}
	u, token, err := accounts.Create(ctx, st, in, cliActor)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "user %s (%s, %s, %s)\ntoken (shown once, keep it secret):\n%s\n",
		u.ID, u.Name, u.Department, strings.Join(u.Roles, ","), token)
	return nil
}

func usersList(ctx context.Context, st *store.Store, stdout io.Writer) error {
	users, err := st.ListUsers(ctx)
	if err != nil {
		return err
	}
	tokens, err := st.ListTokens(ctx, "")
	if err != nil {
		return err
	}
	byUser := map[string][]store.Token{}
	for _, t := range tokens {
		byUser[t.UserID] = append(byUser[t.UserID], t)
	}
	tw := tabwriter.NewWriter(stdout, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "USER\tNAME\tDEPARTMENT\tROLES\tTOKENS (id hint state)")
	for _, u := range users {
		var toks []string
		for _, t := range byUser[u.ID] {
			state := "active"
			if t.RevokedAt != nil {
				state = "revoked"
			}
			toks = append(toks, fmt.Sprintf("%s %s… %s", t.ID, t.Hint, state))
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", u.ID, u.Name, u.Department, strings.Join(u.Roles, ","), strings.Join(toks, "; "))
	}
	return tw.Flush()
}

// stringList is a repeatable, comma-separable flag.
type stringList []string

func (l *stringList) String() string { return strings.Join(*l, ",") }
func (l *stringList) Set(v string) error {
	for _, part := range strings.Split(v, ",") {
		if part = strings.TrimSpace(part); part != "" {
			*l = append(*l, part)
		}
	}
	return nil
}
