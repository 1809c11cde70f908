// Command composecheck loads docker-compose.yml with compose-go, the parser
// of Docker Compose v2, as `docker compose config` would (schema validation,
// interpolation, consistency of services, secrets and volumes), and prints
// the resolved project as JSON. .ci/compose-check validates the file with it
// and reads what each service gets; .ci/compose-drill runs the services'
// environments outside containers. No Docker engine is needed.
//
//	go run . -f ../../docker-compose.yml -env-file FILE [-profile NAME] > project.json
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"strings"

	"github.com/compose-spec/compose-go/v2/cli"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "composecheck:", err)
		os.Exit(1)
	}
}

func run() error {
	file := flag.String("f", "docker-compose.yml", "compose file")
	envFile := flag.String("env-file", "", "env file, in place of the .env beside the compose file")
	profiles := flag.String("profile", "", "comma-separated profiles to enable")
	flag.Parse()
	opts := []cli.ProjectOptionsFn{cli.WithName("caseflow"), cli.WithOsEnv}
	if *envFile != "" {
		opts = append(opts, cli.WithEnvFiles(*envFile))
	}
	opts = append(opts, cli.WithDotEnv)
	if *profiles != "" {
		opts = append(opts, cli.WithProfiles(strings.Split(*profiles, ",")))
	}
	options, err := cli.NewProjectOptions([]string{*file}, opts...)
	if err != nil {
		return err
	}
	project, err := options.LoadProject(context.Background())
	if err != nil {
		return err
	}
	out, err := project.MarshalJSON()
	if err != nil {
		return err
	}
	_, err = os.Stdout.Write(append(out, '\n'))
	return err
}
