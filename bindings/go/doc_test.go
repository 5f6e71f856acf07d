package dstoken

import (
	"go/ast"
	"go/doc"
	"go/parser"
	"go/token"
	"os"
	"strings"
	"testing"
)

// Every exported item of the package has a doc comment (the Go side of the header test).
func TestEveryExportedItemDocumented(t *testing.T) {
	fset := token.NewFileSet()
	files := map[string]*ast.File{}
	entries, err := os.ReadDir(".")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if !strings.HasSuffix(e.Name(), ".go") || strings.HasSuffix(e.Name(), "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, e.Name(), nil, parser.ParseComments)
		if err != nil {
			t.Fatal(err)
		}
		files[e.Name()] = f
	}
	var list []*ast.File
	for _, f := range files {
		list = append(list, f)
	}
	p, err := doc.NewFromFiles(fset, list, "github.com/dstoken/dstoken/bindings/go")
	if err != nil {
		t.Fatal(err)
	}
	missing := func(what, d string) {
		if strings.TrimSpace(d) == "" {
			t.Errorf("%s has no doc comment", what)
		}
	}
	missing("package", p.Doc)
	for _, f := range p.Funcs {
		missing(f.Name, f.Doc)
	}
	for _, v := range append(p.Vars, p.Consts...) {
		for _, spec := range v.Decl.Specs {
			vs := spec.(*ast.ValueSpec)
			if vs.Doc == nil && v.Doc == "" {
				t.Errorf("%v has no doc comment", vs.Names)
			}
		}
	}
	for _, ty := range p.Types {
		missing(ty.Name, ty.Doc)
		for _, f := range append(ty.Funcs, ty.Methods...) {
			missing(ty.Name+"."+f.Name, f.Doc)
		}
		for _, c := range append(ty.Consts, ty.Vars...) {
			for _, spec := range c.Decl.Specs {
				vs := spec.(*ast.ValueSpec)
				if vs.Doc == nil && vs.Comment == nil && c.Doc == "" && ast.IsExported(vs.Names[0].Name) {
					t.Errorf("%v has no doc comment", vs.Names)
				}
			}
		}
		if st, ok := ty.Decl.Specs[0].(*ast.TypeSpec).Type.(*ast.StructType); ok {
			for _, fld := range st.Fields.List {
				for _, n := range fld.Names {
					if n.IsExported() && fld.Doc == nil && fld.Comment == nil {
						t.Errorf("field %s.%s has no comment", ty.Name, n.Name)
					}
				}
			}
		}
	}
}
