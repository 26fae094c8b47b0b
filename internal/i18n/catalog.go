package i18n

// catalog is every sentence the tool prints outside the explainer, in both languages.
// A changed English sentence needs its Portuguese changed too: make check lists the ones
// whose English changed since `dev translations -w` (testdata/workbook/translations.sum).
var catalog = []Message{
	{"status.header", "Go Concurrency Workbook: %d of %d exercises done",
		"Go Concurrency Workbook: %d de %d exercícios feitos"},
	{"status.checking", "checking %s ...", "verificando %s ..."},
	{"status.todo", "to do", "a fazer"},
	{"status.done", "done", "feito"},
	{"status.changed", "changed", "mudou"},
	{"status.last_run", "  (last run: %s)", "  (última execução: %s)"},
	{"status.not_checked", "  (not checked: `go run ./cmd/workbook run %s`)", "  (não verificado: `go run ./cmd/workbook run %s`)"},
	{"status.not_checked_passed", "  (not checked: `go run ./cmd/workbook run %s`; it passed before)",
		"  (não verificado: `go run ./cmd/workbook run %s`; ele já passou antes)"},
	{"status.next", "Next: %s (%s)\n  go run ./cmd/workbook run %s\n  (or: %s)",
		"Próximo: %s (%s)\n  go run ./cmd/workbook run %s\n  (ou: %s)"},
	{"status.guide", "  guide: exercises/%s/%s    a hint: go run ./cmd/workbook hint %s",
		"  guia: exercises/%s/%s    uma dica: go run ./cmd/workbook hint %s"},
	{"status.failing", "  failing now: %s", "  falhando agora: %s"},
	{"all_done", "Every exercise passes. Now run the benchmarks: go run ./cmd/workbook bench",
		"Todos os exercícios passam. Agora rode os benchmarks: go run ./cmd/workbook bench"},
	{"run.all_done", "Every exercise passes. Run one again by name: go run ./cmd/workbook run 03_race/mutex",
		"Todos os exercícios passam. Rode um de novo pelo nome: go run ./cmd/workbook run 03_race/mutex"},
	{"run.progress", "%s  %d of %d done", "%s  %d de %d feitos"},
	{"run.next", "Next: %s (%s)\n  go run ./cmd/workbook run %s", "Próximo: %s (%s)\n  go run ./cmd/workbook run %s"},
	{"run.note", "note: %s", "observação: %s"},
	{"watch.nothing", "Nothing to watch. Every exercise passes. Now run the benchmarks: go run ./cmd/workbook bench",
		"Nada a observar. Todos os exercícios passam. Agora rode os benchmarks: go run ./cmd/workbook bench"},
	{"watch.stopped", "watch stopped.", "watch parou."},
	{"hint.all_done", "Every exercise passes: no hint needed.", "Todos os exercícios passam: nenhuma dica necessária."},
	{"hint.head", "%s, hint %d of %d:", "%s, dica %d de %d:"},
	{"hint.more", "(run it again for the next one; the guide has them all: exercises/%s/%s)",
		"(rode de novo para ver a próxima; o guia tem todas: exercises/%s/%s)"},
}
