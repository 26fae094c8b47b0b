package explain

import (
	"fmt"

	"github.com/go-concurrency-workbook/workbook/internal/i18n"
)

// The explainer in Brazilian Portuguese: every sentence of text.go, whole. The tests'
// own messages stay in English (CONTRIBUTING says why); what they mean is said here.

type kindText struct{ Title, Text, Headline string }

var ptKinds = map[Kind]kindText{
	Vet: {Title: "o go vet conhece este erro",
		Text: "O go vet achou um erro de concorrência no seu código antes que algum teste precisasse pegá-lo: cada achado acima diz a linha e o erro. " +
			"Corrija esses primeiro; as falhas dos testes muitas vezes vêm deles."},
	Build: {Title: "não compila",
		Text: "O pacote não compilou, então nenhum teste rodou (e todo exercício do capítulo falha junto). " +
			"A primeira mensagem do compilador diz o arquivo, a linha e a coluna; corrija essa primeiro, as outras muitas vezes vêm dela. " +
			"Mantenha os nomes e as assinaturas que os testes chamam: o guia os descreve."},
	ConcurrentMap: {Title: "escritas concorrentes num map",
		Text: "O runtime pegou duas goroutines usando o mesmo map ao mesmo tempo, pelo menos uma escrevendo, e parou o programa inteiro: " +
			"um map de Go não é seguro para uso concorrente, e isto é um erro fatal, não um panic que se possa recuperar. " +
			"Proteja todo acesso ao map (as leituras também) com um único sync.Mutex, ou dê a cada goroutine um map só dela e junte os maps depois que todas terminarem.%s"},
	UnlockUnlocked: {Title: "unlock de um mutex destravado",
		Text: "Seu código chamou Unlock num sync.Mutex (ou RWMutex) que não estava travado: destravou duas vezes, ou num caminho que nunca travou. " +
			"Isto é um erro fatal, não um panic. Case cada Lock com exatamente um Unlock, de preferência `mu.Lock(); defer mu.Unlock()` na linha seguinte, e nunca copie uma struct que contém um mutex.%s"},
	WaitGroupNegative: {Title: "um contador de WaitGroup negativo",
		Text: "wg.Done() foi chamado mais vezes do que wg.Add somou: o contador ficou abaixo de zero e o programa entrou em panic. " +
			"Some uma vez por goroutine antes de iniciá-la, chame Done exatamente uma vez nela (defer wg.Done() como primeira linha), ou deixe wg.Go(func() { ... }) fazer as duas coisas.%s"},
	SendClosed: {Title: "envio num canal fechado",
		Text: "Uma goroutine enviou num canal depois que ele foi fechado, o que causa panic. " +
			"Só quem envia pode fechar um canal, e só quando todo envio terminou: quando várias goroutines enviam, " +
			"uma goroutine espera por todas e então o fecha, ou quem envia olha primeiro um canal done.%s"},
	CloseClosed: {Title: "close de um canal fechado",
		Text: "Um canal foi fechado duas vezes (ou um canal nil foi fechado), o que causa panic. " +
			"Feche um canal exatamente uma vez, no único lugar que sabe que todo envio terminou: a dica abaixo diz onde fica esse lugar neste exercício.%s"},
	BusyWait: {Title: "espera ocupada",
		Text: "O teste pegou seu código fazendo polling: ele dorme (ou gira) e olha de novo, em vez de bloquear até que outra goroutine o mande seguir. " +
			"O polling desperdiça um núcleo, acrescenta latência e esconde o momento em que a condição se torna verdadeira. " +
			"Espere por algo que acorde você: um recebimento num canal, wg.Wait(), ou sync.Cond.Wait dentro de um laço for.%s"},
	Leak: {Title: "um vazamento de goroutines",
		Text: "Uma função retornou enquanto goroutines que ela iniciou ainda rodavam: nada do que vem depois espera por elas, então elas sobrevivem à chamada, e uma que bloqueia nunca termina. " +
			"Uma função que inicia goroutines precisa ver todas terminarem antes de retornar (wg.Wait(), ou receber todo resultado), " +
			"e dar uma saída a uma goroutine que pode bloquear (um canal com buffer, ou um select em ctx.Done()).%s"},
	Race: {Title: "uma data race",
		Text: "O race detector viu duas goroutines mexerem na mesma memória, pelo menos uma escrevendo, sem nada que as ordene%s. " +
			"Toda variável que duas goroutines usam precisa de uma sincronização: um sync.Mutex detido em todo acesso (as leituras também), um atomic, " +
			"ou confinamento (uma goroutine é dona dela; as outras lhe mandam valores por um canal). " +
			"O detector relata cada par em corrida uma vez por execução: corrija estes e rode de novo."},
	BubbleDeadlock: {Title: "um deadlock na bolha do synctest",
		Text: "Dentro da bolha do synctest do teste, toda goroutine acabou bloqueada de vez, num canal, em sync.Cond.Wait, WaitGroup.Wait ou num sleep, " +
			"sem nada que a acorde: um deadlock, ou um aviso de acordar que se perdeu. " +
			"As goroutines presas aparecem com aquilo por que cada uma espera: ache o aviso de que cada uma precisa, e a goroutine que devia tê-lo mandado.%s"},
	Deadlock: {Title: "todas as goroutines dormem: um deadlock",
		Text: "Toda goroutine do programa estava bloqueada, esperando por um canal ou um lock que nenhuma outra goroutine jamais vai operar, então o runtime o parou. " +
			"Causas típicas: um envio num canal sem buffer e sem quem receba, um recebimento de um canal em que ninguém envia nem fecha, ou wg.Wait() por um Done que nunca vem. " +
			"As pilhas dizem por que cada goroutine espera ([chan send], [chan receive], [semacquire]).%s"},
	Watchdog: {Title: "presa: o watchdog parou de esperar",
		Text: "A chamada testada não retornou dentro do limite de tempo real do teste, e o teste imprimiu as goroutines que ainda rodavam.%s"},
	Timeout: {Title: "um timeout: os testes nunca terminaram",
		Text: "O binário de teste chegou ao seu limite de tempo e foi parado com um despejo de todas as goroutines: algo espera para sempre ou nunca para.%s"},
	Panic: {Title: "um panic",
		Text: "O código entrou em panic: a primeira linha do panic diz por quê, e a pilha embaixo dela, onde.%s " +
			"Um panic numa goroutine que não é a do teste mata o binário de teste inteiro, então os testes depois dele não rodaram."},
	Wrong: {Title: "um resultado errado",
		Text: "A verificação do teste falhou: a mensagem dele diz o que esperava, o que voltou e, muitas vezes, por quê.%s"},
	NoTests: {Title: "nenhum teste", Headline: "nenhum teste em %s",
		Text: "O arquivo não tem teste: uma função `func TestXxx(t *testing.T)`. Escreva um teste para cada propriedade do contrato no comentário de documentação da implementação, e dê a ele um nome que diga qual.%s"},
	FailsOnCorrect: {Title: "seu teste falha numa implementação correta",
		Text: "A implementação dada está correta, então um teste que falha nela pede algo que o contrato não promete, ou depende do tempo: " +
			"sleeps reais e relógios reais, ou uma ordem entre goroutines que nada garante. Confira o que o contrato diz, e torne o tempo simulado (synctest).%s"},
	Sleeps: {Title: "um teste que dorme", Headline: "time.Sleep fora de uma bolha do synctest: %s",
		Text: "Um teste que dorme em tempo real para deixar as goroutines chegarem a algum lugar passa numa máquina rápida e ociosa e falha de vez em quando numa carregada, e é lento sempre. " +
			"Dentro de uma bolha do synctest (synctest.Test, ou guard.Bubble) o tempo é simulado: time.Sleep ali não custa nada, e synctest.Wait espera até que toda goroutine esteja estacionada. Os sleeps: %s."},
	Hangs: {Title: "um teste que pode travar", Headline: "seus testes travam numa implementação errada: %s",
		Text: "Seu teste espera para sempre numa implementação errada (%s): limite a espera. Ele chegou ao limite de tempo em vez de falhar, e um teste que espera por uma goroutine precisa limitar a espera, " +
			"para que uma implementação errada faça o teste falhar com uma mensagem em vez de travar a execução. Numa bolha do synctest um deadlock falha na hora; fora de uma, espere com um timeout (guard.Run)."},
	NotWritten: {Title: "testes ainda não escritos", Headline: "%s ainda é o código inicial: ele falha de propósito",
		Text: "Este teste é o esboço com que o exercício começa: ele falha de propósito, com um TODO que diz o que provar. " +
			"A implementação dada está correta e não tem culpa: escreva o teste."},
	Refused:  {Title: "o que seus testes não podem usar", Headline: "%s", Text: "%s"},
	Survives: {Title: "uma implementação errada passa nos seus testes", Headline: "%s", Text: "%s"},
	NoVerdict: {Title: "nenhum veredito do teste",
		Text: "O binário de teste terminou sem dizer se este teste passou ou falhou: ele saiu antes da hora, ou foi morto. " +
			"Procure os.Exit, log.Fatal ou um crash na saída."},
}

var ptStuck = []string{
	" Sua goroutine espera num canal nil, que bloqueia para sempre: um canal que nunca foi criado (var ch chan T sem make), ou que foi posto em nil. Crie todo canal pelo qual você espera antes que alguma goroutine o use.",
	" Sua goroutine espera por um sync.Mutex (ou RWMutex) que nunca é destravado: travado duas vezes pela mesma goroutine, detido num caminho de retorno que esqueceu o Unlock, ou dois locks pegos em ordens opostas por duas goroutines.",
	" Sua goroutine espera em sync.Cond.Wait e ninguém a acorda: falta um Signal ou um Broadcast depois da mudança por que ela espera, ou ele foi mandado antes que ela estacionasse.",
	" Sua goroutine espera em WaitGroup.Wait (ou num semáforo) por um Done que nunca vem: uma goroutine que foi contada nunca terminou, ou nunca foi iniciada.",
	" Sua goroutine espera para enviar num canal do qual ninguém mais recebe.",
	" Sua goroutine espera para receber de um canal em que ninguém envia nem fecha.",
	" Sua goroutine espera num select em que nenhum caso jamais pode seguir: dê a ele um caso que o encerre (ctx.Done(), um canal fechado).",
	" Sua goroutine dorme num laço: ela faz polling em vez de esperar ser acordada, e aquilo que ela espera nunca chega.",
	" Sua goroutine está rodando: ela gira num laço que nunca termina, ou espera fazendo polling.",
}

var ptVet = map[string]string{
	"copylocks": "uma cópia de um sync.Mutex (ou de uma struct que contém um) é outro lock: goroutines que travam cópias diferentes não se excluem. " +
		"Use um receptor ponteiro (func (x *T)) e passe uma struct assim por ponteiro.",
	"lostcancel": "a função cancel de um context precisa ser chamada em todo caminho (defer cancel() na linha seguinte), senão o timer e a goroutine dele continuam vivos.",
	"waitgroup": "wg.Add dentro da goroutine que ele conta pode rodar depois de wg.Wait, que então acha a contagem em 0 e retorna na hora: " +
		"conte antes do comando go, ou use wg.Go.",
	"defers": "um defer avalia seus argumentos quando o comando defer roda, não quando a função retorna.",
	"atomic": "atribuir o resultado de uma operação atômica de volta à sua variável é uma escrita comum, não atômica.",
	"testinggoroutine": "t.Fatal, t.FailNow e require encerram a goroutine que os chama, não o teste: " +
		"de uma goroutine que o teste iniciou, mande a falha para a goroutine do teste.",
}

var ptShort = map[Kind]string{
	Build: "não compila", Timeout: "timeout", ConcurrentMap: "escritas concorrentes num map",
	Deadlock: "deadlock", UnlockUnlocked: "unlock de mutex destravado",
	WaitGroupNegative: "contador de WaitGroup negativo", SendClosed: "envio em canal fechado",
	CloseClosed: "close de canal fechado", BubbleDeadlock: "deadlock na bolha", BusyWait: "espera ocupada",
	Race: "data race", Watchdog: "presa (watchdog)", Leak: "vazamento de goroutines",
	Panic: "panic", Wrong: "resultado errado", NoVerdict: "sem veredito",
	Vet: "achado do go vet", NoTests: "nenhum teste", FailsOnCorrect: "teste falha em código correto", Sleeps: "teste dorme", Hangs: "teste pode travar",
	Survives: "uma implementação errada passa", Refused: "recusado", NotWritten: "testes ainda não escritos",
}

// ptPhrases sets the phrases of text.go in Portuguese.
func ptPhrases() {
	vetLineText = "%s: %s: %s"
	whereText = " A primeira linha do seu código nas pilhas: %s."
	raceWhereText = ": %s, e antes %s"
	raceAccessText = "%s %s %s"
	outsideText = "código fora dos seus arquivos (o teste ou uma biblioteca)"
	startedAtText = "%s (iniciada em %s)"
	readText = "Leia: %s"
	guideText = "exercises/%s/README.pt-BR.md, seção %q"
	hintsText = "exercises/%s/README.pt-BR.md, seção \"Dicas\" › %q"
	hintText = "Dica %d de %d: %s"
	moreHintsText = "(mais dicas: go run ./cmd/workbook hint %s)"
	failLineText = "FALHA  %s: %d de %d testes falham (%.1fs)"
	testsFailText = "FALHA  %s: seus testes (%s) ainda não estão prontos (%.1fs)"
	testsPassText = "PASSA  %s: seus %d testes passam na implementação correta e pegam todas as %d erradas (%.1fs)"
	survivorText = "Uma implementação errada passa em todos os seus testes: %s. O que seus testes não verificam: %s."
	buildFailText = "FALHA  %s: o pacote não compila (%.1fs)"
	passLineText = "PASSA  %s: todos os %d testes passam com -race (%.1fs)"
	detailText = "── %s: %s ──"
	noMessageText = "(o teste não imprimiu mensagem própria)"
	moreStacksText = "... mais %d goroutines não mostradas (a saída inteira: %s)"
	moreRacesText = "... mais %d relatórios de data race não mostrados (a saída inteira: %s)"
	inGoroutine = "na %s"
	notCheckedText = "não verificado: %s"
	tamperedText = "%s, comparado com %s: quem aprende só muda arquivos que não são de teste, então restaure-o (git checkout -- ARQUIVO); um mantenedor que quis a mudança roda `%s`"
	rejectedText = "os arquivos de quem aprende quebram as regras do curso, então o capítulo não rodou: %s"
	changedWhileText = "mudou enquanto os testes rodavam: %s"
	andMoreText = "e mais %d"
	stuckFallback = " As pilhas mostram onde cada goroutine está estacionada, entre colchetes: [sync.Mutex.Lock], [chan receive], [select], ... Ache as suas funções nelas."
	raceVerbs = map[bool]map[string]string{
		false: {"read": "lê", "write": "escreve", "atomic read": "lê atomicamente", "atomic write": "escreve atomicamente"},
		true:  {"read": "leu", "write": "escreveu", "atomic read": "leu atomicamente", "atomic write": "escreveu atomicamente"},
	}
	sectionNames = map[string]string{"What you build": "O que você vai construir", "Coming from Python": "Vindo do Python",
		"What the tests cannot see": "O que os testes não veem", "Hints": "Dicas"}
}

// english is every text of text.go as it is in English, to go back to.
var english = struct {
	kinds   []kindInfo
	stuck   []string
	vet     map[string]string
	short   map[Kind]string
	phrases func()
	values  []string // the phrases, in the order of init's list
}{}

func init() {
	english.kinds = append([]kindInfo(nil), kinds...)
	for _, s := range stuckTexts {
		english.stuck = append(english.stuck, s.Text)
	}
	english.vet, english.short = vetTexts, shortTitles
	v := []string{vetLineText, whereText, raceWhereText, raceAccessText, outsideText, startedAtText, readText, guideText, hintsText,
		hintText, moreHintsText, failLineText, testsFailText, testsPassText, survivorText, buildFailText, passLineText, detailText,
		noMessageText, moreStacksText, moreRacesText, inGoroutine, stuckFallback, notCheckedText, tamperedText, rejectedText,
		changedWhileText, andMoreText}
	english.values = v
	verbs, sections := raceVerbs, sectionNames
	english.phrases = func() {
		vetLineText, whereText, raceWhereText, raceAccessText, outsideText, startedAtText, readText, guideText, hintsText,
			hintText, moreHintsText, failLineText, testsFailText, testsPassText, survivorText, buildFailText, passLineText, detailText,
			noMessageText, moreStacksText, moreRacesText, inGoroutine, stuckFallback, notCheckedText, tamperedText, rejectedText,
			changedWhileText, andMoreText = v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8],
			v[9], v[10], v[11], v[12], v[13], v[14], v[15], v[16], v[17], v[18], v[19], v[20], v[21], v[22], v[23], v[24], v[25], v[26], v[27]
		raceVerbs, sectionNames = verbs, sections
	}
}

// SetLang makes the explainer speak l. The tool calls it once, before it explains
// anything.
func SetLang(l i18n.Lang) {
	copy(kinds, english.kinds)
	for i := range stuckTexts {
		stuckTexts[i].Text = english.stuck[i]
	}
	vetTexts, shortTitles = english.vet, english.short
	english.phrases()
	if l != i18n.Portuguese {
		return
	}
	for i := range kinds {
		if t, ok := ptKinds[kinds[i].Kind]; ok {
			kinds[i].Title, kinds[i].Text = t.Title, t.Text
			if t.Headline != "" {
				kinds[i].Headline = t.Headline
			}
		}
	}
	for i := range stuckTexts {
		stuckTexts[i].Text = ptStuck[i]
	}
	vetTexts, shortTitles = ptVet, ptShort
	ptPhrases()
}

// EnglishTexts returns every English text of the explainer by a stable name, for the
// check that lists the ones changed since their Portuguese was brought in step.
func EnglishTexts() map[string]string {
	t := map[string]string{}
	for _, k := range english.kinds {
		t[string(k.Kind)+" title"], t[string(k.Kind)+" text"] = k.Title, k.Text
		if k.Headline != "" {
			t[string(k.Kind)+" headline"] = k.Headline
		}
	}
	for i, s := range english.stuck {
		t[fmt.Sprintf("stuck %d", i+1)] = s
	}
	for k, v := range english.vet {
		t["vet "+k] = v
	}
	for k, v := range english.short {
		t["short "+string(k)] = v
	}
	for i, v := range english.values {
		t[fmt.Sprintf("phrase %d", i+1)] = v
	}
	return t
}
