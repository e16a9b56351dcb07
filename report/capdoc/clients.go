package capdoc

import "github.com/ocicaps/ocicaps/results"

// SchemaVersionClients is the document's schema version when it holds
// client readiness (ocicaps run --clients): 1.1 added clients. A document
// without clients is the 1.0 document byte for byte, and says 1.0.
const SchemaVersionClients = "1.1"

// Client is the readiness of one client workflow on the registry: what a
// user of that client needs to know before pointing it here. It holds
// no reason nor evidence (they name repositories and hosts), only what
// the workflow file says and the outcome.
type Client struct {
	Client   string          `json:"client"`
	Workflow string          `json:"workflow"`
	Outcome  results.Outcome `json:"outcome"`
	// Confirmed is true when the real client ran it against the
	// registry, false for a prediction from the capabilities.
	Confirmed bool     `json:"confirmed"`
	Via       []string `json:"via"`
	Settings  string   `json:"settings,omitempty"`
	Advice    string   `json:"advice,omitempty"`
	// ClientVersion is the version of the client that confirmed it.
	ClientVersion string `json:"clientVersion,omitempty"`
}

// addClients puts reg's client readiness into d, and the schema version
// that has it; nothing for a registry without clients.
func addClients(d *Document, reg results.Registry) {
	if len(reg.Clients) == 0 {
		return
	}
	d.SchemaVersion = SchemaVersionClients
	for _, w := range reg.Clients {
		c := Client{Client: w.Client, Workflow: w.Workflow, Outcome: w.Outcome, Confirmed: w.Confirmed,
			Via: append([]string{}, w.Via...), Settings: w.Settings, Advice: w.Advice}
		if w.Confirmed {
			c.ClientVersion = w.Version
		}
		d.Clients = append(d.Clients, c)
	}
}
