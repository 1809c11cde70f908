package workflows_test

import (
	"encoding/base64"
	"reflect"
	"strings"

	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/testsuite"

	"github.com/caseflow/caseflow/actorsig"
	"github.com/caseflow/caseflow/complaint"
	"github.com/caseflow/caseflow/workflows"
)

// The workflows verify actors with testKeys, as the API's would sign them;
// otherKeys sign as a client that does not hold the API's key.
var (
	testKeys  = mustKeys("test:" + base64.StdEncoding.EncodeToString([]byte(strings.Repeat("k", 32))))
	otherKeys = mustKeys("test:" + base64.StdEncoding.EncodeToString([]byte(strings.Repeat("x", 32))))
)

func init() { workflows.SetActorKeys(testKeys) }

func mustKeys(spec string) *actorsig.Keyring {
	k, err := actorsig.Parse(spec)
	if err != nil {
		panic(err)
	}
	return k
}

// signed is the step's argument as the API sends it with update id id.
func signed(st step, id string) any {
	return signedWith(testKeys, st, id)
}

// signedWith calls the Signed method of the step's Step[B], whatever B is.
func signedWith(keys *actorsig.Keyring, st step, id string) any {
	out := reflect.ValueOf(st.arg).MethodByName("Signed").Call(
		[]reflect.Value{reflect.ValueOf(keys), reflect.ValueOf(id), reflect.ValueOf(st.name)})
	if err, _ := out[1].Interface().(error); err != nil {
		panic(err)
	}
	return out[0].Interface()
}

// execute runs the workflow as the API starts it: under the case's workflow
// id, with the registration signed.
func execute(env *testsuite.TestWorkflowEnvironment, in workflows.ComplaintInput) {
	wid := complaint.WorkflowID(in.ID)
	env.SetStartWorkflowOptions(startOptions(wid))
	in, err := in.Signed(testKeys, wid)
	if err != nil {
		panic(err)
	}
	env.ExecuteWorkflow(workflows.ComplaintWorkflow, in)
}

func startOptions(workflowID string) client.StartWorkflowOptions {
	return client.StartWorkflowOptions{ID: workflowID}
}
