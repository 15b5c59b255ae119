// Test tooling: renders Go text/template + sprig the way External Secrets (engine v2) and the Sealed Secrets
// controller do, for the conformance tests. Reads a JSON array of cases on stdin, writes a JSON array of results.
//   External Secrets: missingkey=error, sprig TxtFuncMap without env/expandenv.
//   Sealed Secrets:   default missingkey, sprig GenericFuncMap.
package main

import (
	"bytes"
	"encoding/json"
	"os"
	"text/template"

	"github.com/Masterminds/sprig/v3"
)

type renderCase struct {
	Engine   string            `json:"engine"` // "external-secrets" or "sealed-secrets"
	Template string            `json:"template"`
	Data     map[string]string `json:"data"`
}

type renderResult struct {
	Output string `json:"output"`
	Error  string `json:"error,omitempty"`
}

func render(c renderCase) renderResult {
	var tpl *template.Template
	var err error
	if c.Engine == "external-secrets" {
		funcs := sprig.TxtFuncMap()
		delete(funcs, "env")
		delete(funcs, "expandenv")
		tpl, err = template.New("t").Option("missingkey=error").Funcs(funcs).Parse(c.Template)
	} else {
		tpl, err = template.New("t").Funcs(sprig.GenericFuncMap()).Parse(c.Template)
	}
	if err != nil {
		return renderResult{Error: err.Error()}
	}
	var out bytes.Buffer
	if err := tpl.Execute(&out, c.Data); err != nil {
		return renderResult{Error: err.Error()}
	}
	return renderResult{Output: out.String()}
}

func main() {
	var cases []renderCase
	if err := json.NewDecoder(os.Stdin).Decode(&cases); err != nil {
		os.Stderr.WriteString(err.Error())
		os.Exit(2)
	}
	results := make([]renderResult, len(cases))
	for i, c := range cases {
		results[i] = render(c)
	}
	if err := json.NewEncoder(os.Stdout).Encode(results); err != nil {
		os.Exit(2)
	}
}
