package steps

import (
	"context"
	"fmt"
	"regexp"
	"strings"

	"github.com/ocicaps/ocicaps/steps/jsonpath"
)

// Saving and recording steps: variables for later steps, and facts shown
// in every report.

func (st *state) saveHeader(_ context.Context, names, v string) error {
	val, _, ok, err := firstHeader(st, names)
	if err != nil {
		return err
	}
	if !ok {
		return fmt.Errorf("the response has no %s header", strings.Join(headerNames(names), " or "))
	}
	st.vars[v] = val
	return nil
}

func (st *state) recordHeader(_ context.Context, names, v string) error {
	val, name, ok, err := firstHeader(st, names)
	if err != nil || !ok {
		return err
	}
	if err := st.checkFactsSize(v, val); err != nil {
		return namedStep(fmt.Sprintf("I record the response header %s as %q", names, v), err)
	}
	st.vars[v] = val
	st.record(v, val)
	st.record(v+" header", name)
	return nil
}

func (st *state) saveHeaderMatch(_ context.Context, name, expr, v string) error {
	re, err := regexp.Compile(expr)
	if err != nil {
		return fmt.Errorf("bad regular expression %q: %w", expr, err)
	}
	r, err := st.response()
	if err != nil {
		return err
	}
	val, ok := headerValue(r, name)
	if !ok {
		return fmt.Errorf("the response (%s) has no %s header", describeStatus(r), name)
	}
	m := re.FindStringSubmatch(val)
	if m == nil {
		return fmt.Errorf("header %s is %q, which does not match %q", name, clip(val, 200), expr)
	}
	st.vars[v] = m[0]
	if len(m) > 1 {
		st.vars[v] = m[1]
	}
	return nil
}

func (st *state) saveJSONField(_ context.Context, path, v string) error {
	r, err := st.response()
	if err != nil {
		return err
	}
	val, ok, err := jsonpath.Field(r.Body, path)
	if err != nil {
		return fmt.Errorf("the response body is not JSON (%s): %w", bodyGist(r), err)
	}
	if !ok {
		return fmt.Errorf("the JSON response has no field %s", path)
	}
	st.vars[v] = val
	return nil
}

func (st *state) saveBodyDigest(_ context.Context, v string) error {
	r, err := st.response()
	if err != nil {
		return err
	}
	st.vars[v] = digestOf(r.Body)
	return nil
}

func (st *state) saveBodyDigestWith(_ context.Context, alg, v string) error {
	r, err := st.response()
	if err != nil {
		return err
	}
	st.vars[v] = digestWith(alg, r.Body)
	return nil
}

func (st *state) saveBody(_ context.Context, v string) error {
	r, err := st.response()
	if err != nil {
		return err
	}
	st.saved[v] = append([]byte(nil), r.Body...)
	return nil
}

func (st *state) saveText(_ context.Context, text, v string) error {
	val, err := st.expand(text)
	if err == nil {
		err = st.checkVariablesSize(v, val)
	}
	if err != nil {
		return namedStep(fmt.Sprintf("I save %q as %q", text, v), err)
	}
	st.vars[v] = val
	return nil
}

func (st *state) recordText(_ context.Context, text, v string) error {
	val, err := st.expand(text)
	if err == nil {
		err = st.checkFactsSize(v, val)
	}
	if err != nil {
		return namedStep(fmt.Sprintf("I record %q as %q", text, v), err)
	}
	st.record(v, val)
	return nil
}

func (st *state) recordStatus(_ context.Context, name string) error {
	r, err := st.response()
	if err != nil {
		return err
	}
	st.record(name, st.requestName()+": "+describeStatus(r))
	return nil
}

var quotedRE = regexp.MustCompile(`"([^"]+)"`)

func headerNames(list string) []string {
	var out []string
	for _, m := range quotedRE.FindAllStringSubmatch(list, -1) {
		out = append(out, m[1])
	}
	return out
}

func firstHeader(st *state, list string) (val, name string, ok bool, err error) {
	r, err := st.response()
	if err != nil {
		return "", "", false, err
	}
	for _, h := range headerNames(list) {
		if v, present := headerValue(r, h); present {
			return v, h, true, nil
		}
	}
	return "", "", false, nil
}
