package main

import (
	"bufio"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// dockerInstr is one instruction of a Dockerfile, continuation lines joined.
type dockerInstr struct {
	line int
	cmd  string
	args string
}

func parseDockerfile(t *testing.T, path string) []dockerInstr {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []dockerInstr
	var cur strings.Builder
	start := 0
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if cur.Len() == 0 && (line == "" || strings.HasPrefix(line, "#")) {
			continue
		}
		if cur.Len() == 0 {
			start = n
		}
		if before, ok := strings.CutSuffix(line, `\`); ok {
			cur.WriteString(before + " ")
			continue
		}
		cur.WriteString(line)
		cmd, args, _ := strings.Cut(cur.String(), " ")
		out = append(out, dockerInstr{start, strings.ToUpper(cmd), strings.TrimSpace(args)})
		cur.Reset()
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// TestDockerfile checks the image's structure, since no Docker engine runs
// on our machines: a build stage and a minimal run stage, a non-root user,
// copied paths that exist, a health check on /healthz, and an entrypoint
// that is a real subcommand.
func TestDockerfile(t *testing.T) {
	root := filepath.Join("..", "..")
	ins := parseDockerfile(t, filepath.Join(root, "Dockerfile"))
	var stages []string
	last := map[string]dockerInstr{}
	for _, in := range ins {
		if in.cmd == "FROM" {
			stages = append(stages, in.args)
			clear(last)
		}
		last[in.cmd] = in
		if in.cmd == "COPY" && !strings.Contains(in.args, "--from=") {
			fields := strings.Fields(in.args)
			for _, src := range fields[:len(fields)-1] {
				if strings.HasPrefix(src, "--") || src == "." {
					continue
				}
				if _, err := os.Stat(filepath.Join(root, src)); err != nil {
					t.Errorf("Dockerfile:%d: COPY %s: %v", in.line, src, err)
				}
			}
		}
	}
	if len(stages) < 2 || !strings.Contains(stages[0], " AS ") {
		t.Fatalf("want a named build stage and a run stage, got FROM %q", stages)
	}
	if !strings.HasPrefix(stages[0], "golang:") {
		t.Errorf("build stage FROM %s, want the Go toolchain image", stages[0])
	}
	if run := stages[len(stages)-1]; !strings.Contains(run, "distroless") && !strings.Contains(run, "scratch") {
		t.Errorf("run stage FROM %s, want a minimal base", run)
	}
	user, ok := last["USER"]
	if !ok || user.args == "root" || strings.HasPrefix(user.args, "0") {
		t.Errorf("run stage USER %q, want a non-root user", user.args)
	}
	if hc := last["HEALTHCHECK"].args; !strings.Contains(hc, "/healthz") {
		t.Errorf("HEALTHCHECK %q does not check /healthz", hc)
	}
	if _, ok := last["VOLUME"]; !ok {
		t.Error("no VOLUME for the data folder")
	}
	expose := last["EXPOSE"].args
	if env := last["ENV"].args; !strings.Contains(env, "CORPUS_ADDR=0.0.0.0:"+expose) {
		t.Errorf("ENV %q does not listen on the exposed port %s", env, expose)
	}
	// Every subcommand the image runs must exist.
	sub := regexp.MustCompile(`"/usr/local/bin/corpus",\s*"([a-z]+)"`)
	for _, in := range []dockerInstr{last["HEALTHCHECK"]} {
		for _, m := range sub.FindAllStringSubmatch(in.args, -1) {
			if _, ok := commands[m[1]]; !ok {
				t.Errorf("Dockerfile:%d runs unknown subcommand %q", in.line, m[1])
			}
		}
	}
	cmd := strings.Trim(last["CMD"].args, `[]" `)
	if _, ok := commands[cmd]; !ok {
		t.Errorf("CMD %q is not a corpus subcommand", cmd)
	}
	if !strings.Contains(last["ENTRYPOINT"].args, "/usr/local/bin/corpus") {
		t.Errorf("ENTRYPOINT %q does not run the corpus binary", last["ENTRYPOINT"].args)
	}
}
