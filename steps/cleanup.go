package steps

import (
	"context"
	"net/http"
)

// Clean-up steps: DELETEs sent when the scenario ends, whatever happened.

func (st *state) deleteCreated(_ context.Context) error {
	r, err := st.response()
	if err != nil {
		return err
	}
	loc := r.Header.Get("Location")
	if loc == "" || (r.Status != http.StatusCreated && r.Status != http.StatusAccepted) {
		return nil
	}
	what := "upload session"
	if r.Status == http.StatusCreated {
		what = "created object"
	}
	// A Location holding {…} must not be taken for a placeholder.
	u, err := st.target.Client.Resolve(loc)
	if err != nil {
		return err
	}
	st.addCleanupURL(what, u.String(), "", "", "")
	return nil
}

func (st *state) deleteAtEnd(_ context.Context, target string) error {
	return st.addCleanup("object", target)
}

func (st *state) deleteAtEndIf(_ context.Context, target, text string) error {
	conds, err := parseConditions(text)
	if err != nil {
		return err
	}
	r, err := st.response()
	if err != nil {
		return nil // no answer, nothing created
	}
	for _, bc := range conds {
		ok, _, err := bc.c.eval(st, r, bc.args)
		if err != nil {
			return err
		}
		if !ok {
			return nil
		}
	}
	return st.addCleanup("object", target)
}

// addCleanup registers a DELETE of target (a path or URL, placeholders
// allowed) unless the same URL is already registered.
func (st *state) addCleanup(what, target string) error {
	t, err := st.expand(target)
	if err != nil {
		return err
	}
	u, err := st.target.Client.Resolve(t)
	if err != nil {
		return err
	}
	st.addCleanupURL(what, u.String(), "", "", "")
	return nil
}
