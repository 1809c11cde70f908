package payloadcrypt

import (
	"go.temporal.io/sdk/converter"
	"go.temporal.io/sdk/temporal"
)

// FailureConverter moves a failure's message and stack trace into an
// encoded payload: a refusal's message may quote what a customer wrote,
// and Temporal keeps failures in the history beside the payloads.
func FailureConverter(dc converter.DataConverter) converter.FailureConverter {
	return temporal.NewDefaultFailureConverter(temporal.DefaultFailureConverterOptions{
		DataConverter:          dc,
		EncodeCommonAttributes: true,
	})
}
