// Renders an ExternalSecret target.template data value the way External Secrets Operator's template
// engine v2 does (external-secrets runtime/template/v2/template.go, commit cc5bfbc: text/template,
// missingkey=error, the store values as strings), with the two sprig functions the registry-proxy
// template uses, defined as ESO's sprig copy defines them (runtime/template/v2/sprig: "trim" is
// strings.TrimSpace, "b64enc" is base64.StdEncoding.EncodeToString). Standard library only.
//
// Usage: go run main.go < request.json, request = {"template": "...", "data": {"key": "value"}}
package main

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"text/template"
)

func main() {
	var request struct {
		Template string            `json:"template"`
		Data     map[string]string `json:"data"`
	}
	if err := json.NewDecoder(os.Stdin).Decode(&request); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	funcs := template.FuncMap{
		"trim":   strings.TrimSpace,
		"b64enc": func(v string) string { return base64.StdEncoding.EncodeToString([]byte(v)) },
	}
	t, err := template.New(".dockerconfigjson").Option("missingkey=error").Funcs(funcs).Parse(request.Template)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	var out bytes.Buffer
	if err := t.Execute(&out, request.Data); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	os.Stdout.Write(out.Bytes())
}
