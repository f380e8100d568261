package cli

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"golang.org/x/term"

	"nvrmenu/texts"
)

// Where the values nvr-sadp asks for come from. Secrets (passwords,
// security answers, the e-mail code) never come from the command line,
// where ps shows them: from a file named by a flag (-password-file,
// -answers-file, -code-file), else a line of standard input each with
// -stdin, else the terminal, without echo. Choices (the method, the
// questions, the e-mail address, where to write a file) come from flags,
// or are asked at the terminal; without a terminal, a choice not given is
// an error, never a default that sends something.

// The kinds of value, each with the flag that gives it and its name in
// the catalogue (valueWords).
const (
	valuePassword  = "password"  // -password-file
	valueAnswers   = "answers"   // -answers-file: three lines
	valueCode      = "code"      // -code-file
	valueMethod    = "method"    // -method
	valueGUIDFile  = "guid"      // -guid
	valueEmail     = "email"     // -email
	valueQuestions = "questions" // -questions
	valueOutput    = "output"    // -guid-out
)

// valueFlags are the flags that give each kind of value.
var valueFlags = map[string]string{
	valuePassword: "-password-file", valueAnswers: "-answers-file", valueCode: "-code-file",
	valueMethod: "-method", valueGUIDFile: "-guid", valueEmail: "-email", valueQuestions: "-questions",
	valueOutput: "-guid-out",
}

// valueWords name each kind of value in the catalogue.
var valueWords = map[string]texts.ID{
	valuePassword: texts.SadpValuePassword, valueAnswers: texts.SadpValueAnswers, valueCode: texts.SadpValueCode,
	valueMethod: texts.SadpValueMethod, valueGUIDFile: texts.SadpValueGUIDFile, valueEmail: texts.SadpValueEmail,
	valueQuestions: texts.SadpValueQuestions, valueOutput: texts.SadpValueOutput,
}

// maxLine bounds one value read from a file, standard input or the
// terminal.
const maxLine = 4096

// errInterrupted: Ctrl-C, or the input ended, while a value was asked.
var errInterrupted = errors.New("interrupted")

// noInputError: a value is needed and nothing can give it.
type noInputError struct{ kind string }

func (e *noInputError) Error() string { return "no " + e.kind + " given and no terminal to ask" }

// Why a file's lines do not give a value (in a *fileError).
var (
	errTooFewLines = errors.New("too few lines")
	errLineTooLong = fmt.Errorf("a line over %d bytes", maxLine)
)

// lineTooLongError: a line typed at the terminal, or read from standard
// input (stdin), is over maxLine bytes.
type lineTooLongError struct{ stdin bool }

func (e *lineTooLongError) Error() string { return fmt.Sprintf("a line over %d bytes", maxLine) }

// inputs gives the values of one command.
type inputs struct {
	ctx    context.Context
	prompt io.Writer // where prompts go: standard error
	// tty is standard input when it is a terminal and -stdin is not set:
	// then the session is interactive.
	tty *os.File
	// script is standard input with -stdin: a value a line.
	script *bufio.Reader
	// files are the flags' files by kind, and the lines not used yet.
	files map[string]string
	lines map[string][]string
}

// newInputs sets up the values' sources: files by kind, standard input
// as the script with useStdin, else as the terminal when it is one.
func newInputs(ctx context.Context, stdin io.Reader, prompt io.Writer, files map[string]string, useStdin bool) *inputs {
	in := &inputs{ctx: ctx, prompt: prompt, files: map[string]string{}, lines: map[string][]string{}}
	for k, v := range files {
		if v != "" {
			in.files[k] = v
		}
	}
	switch f, ok := stdin.(*os.File); {
	case useStdin:
		in.script = bufio.NewReaderSize(stdin, maxLine+2)
	case ok && term.IsTerminal(int(f.Fd())):
		in.tty = f
	}
	return in
}

// interactive reports whether a person at a terminal answers.
func (in *inputs) interactive() bool { return in.tty != nil }

// typed reports whether a value of kind is typed at the terminal (not
// read from its file): then a wrong one may be asked again.
func (in *inputs) typed(kind string) bool {
	_, fromFile := in.files[kind]
	return in.tty != nil && !fromFile
}

// fileLine is the next unused line of kind's file.
func (in *inputs) fileLine(kind string) (string, bool, error) {
	path, ok := in.files[kind]
	if !ok {
		return "", false, nil
	}
	lines, read := in.lines[kind]
	if !read {
		f, err := os.Open(path)
		if err != nil {
			return "", true, &fileError{path: path, err: err}
		}
		data, err := io.ReadAll(io.LimitReader(f, 16*maxLine))
		f.Close()
		if err != nil {
			return "", true, &fileError{path: path, err: err}
		}
		if text := strings.TrimSuffix(strings.ReplaceAll(string(data), "\r\n", "\n"), "\n"); text != "" {
			lines = strings.Split(text, "\n")
		}
	}
	if len(lines) == 0 {
		return "", true, &fileError{path: path, kind: kind, err: errTooFewLines}
	}
	v := lines[0]
	in.lines[kind] = lines[1:]
	if len(v) > maxLine {
		return "", true, &fileError{path: path, err: errLineTooLong}
	}
	return v, true, nil
}

// scriptLine is the next line of standard input with -stdin.
func (in *inputs) scriptLine() (string, error) {
	line, err := in.script.ReadString('\n')
	if err != nil && (err != io.EOF || line == "") {
		if err == io.EOF {
			return "", errInterrupted
		}
		return "", err
	}
	line = strings.TrimSuffix(strings.TrimSuffix(line, "\n"), "\r")
	if len(line) > maxLine {
		return "", &lineTooLongError{stdin: true}
	}
	return line, nil
}

// secret is a value of kind, never echoed: from its file, else standard
// input (-stdin), else the terminal after prompt.
func (in *inputs) secret(kind, prompt string) (string, error) {
	return in.value(kind, prompt, false)
}

// visible is a value of kind read like secret, but echoed at the
// terminal (the e-mail code: it is typed from a mail, and is worth
// nothing once used).
func (in *inputs) visible(kind, prompt string) (string, error) {
	return in.value(kind, prompt, true)
}

func (in *inputs) value(kind, prompt string, echo bool) (string, error) {
	if v, ok, err := in.fileLine(kind); ok {
		return v, err
	}
	if in.script != nil {
		return in.scriptLine()
	}
	if in.tty == nil {
		return "", &noInputError{kind}
	}
	fmt.Fprint(in.prompt, prompt+" ")
	if echo {
		return in.ttyLine()
	}
	return in.ttySecret()
}

// ask reads a choice at the terminal (echoed); without one it is a
// noInputError of kind.
func (in *inputs) ask(kind, prompt string) (string, error) {
	if in.tty == nil {
		return "", &noInputError{kind}
	}
	fmt.Fprint(in.prompt, prompt+" ")
	return in.ttyLine()
}

// ttySecret reads a line without echo. Ctrl-C (the context ends) puts
// the terminal back as it was before returning errInterrupted.
func (in *inputs) ttySecret() (string, error) {
	fd := int(in.tty.Fd())
	state, err := term.GetState(fd)
	if err != nil {
		return "", err
	}
	type result struct {
		b   []byte
		err error
	}
	done := make(chan result, 1)
	go func() {
		b, err := term.ReadPassword(fd)
		done <- result{b, err}
	}()
	select {
	case r := <-done:
		fmt.Fprintln(in.prompt)
		if r.err != nil {
			if errors.Is(r.err, io.EOF) {
				return "", errInterrupted
			}
			return "", r.err
		}
		if len(r.b) > maxLine {
			return "", &lineTooLongError{}
		}
		return string(r.b), nil
	case <-in.ctx.Done():
		term.Restore(fd, state)
		fmt.Fprintln(in.prompt)
		return "", errInterrupted
	}
}

// ttyLine reads an echoed line from the terminal, a byte at a time (no
// buffer that would swallow what the next read of a secret needs).
func (in *inputs) ttyLine() (string, error) {
	done := make(chan string, 1)
	fail := make(chan error, 1)
	go func() {
		var b []byte
		one := make([]byte, 1)
		for len(b) <= maxLine {
			n, err := in.tty.Read(one)
			if n == 1 {
				if one[0] == '\n' {
					done <- strings.TrimSuffix(string(b), "\r")
					return
				}
				b = append(b, one[0])
			}
			if err != nil {
				if err == io.EOF {
					err = errInterrupted
				}
				fail <- err
				return
			}
		}
		fail <- &lineTooLongError{}
	}()
	select {
	case s := <-done:
		return s, nil
	case err := <-fail:
		return "", err
	case <-in.ctx.Done():
		fmt.Fprintln(in.prompt)
		return "", errInterrupted
	}
}

// yes asks a yes/no question at the terminal; without a terminal the
// answer is no.
func (in *inputs) yes(cat *texts.Catalogue, prompt string) (bool, error) {
	if in.tty == nil {
		return false, nil
	}
	for {
		a, err := in.ask("choice", prompt+" ["+cat.T(texts.SadpYesKey)+"/"+cat.T(texts.SadpNoKey)+"]")
		if err != nil {
			return false, err
		}
		switch strings.ToLower(strings.TrimSpace(a)) {
		case cat.T(texts.SadpYesKey), strings.ToLower(cat.T(texts.Yes)), "y", "yes":
			return true, nil
		case cat.T(texts.SadpNoKey), strings.ToLower(cat.T(texts.No)), "n", "no", "":
			return false, nil
		}
	}
}

// fileError is a local file, or folder, at path that could not be read
// or written.
type fileError struct {
	path string
	kind string // with errTooFewLines: the kind of value missing
	err  error
}

func (e *fileError) Error() string { return e.path + ": " + e.err.Error() }
func (e *fileError) Unwrap() error { return e.err }
