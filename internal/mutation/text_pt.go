package mutation

import (
	"fmt"

	"github.com/go-concurrency-workbook/workbook/internal/i18n"
)

// englishTexts are the refusals' sentences as policy.go writes them.
var englishTexts = []string{realClockText, fatalText, fatalGlobalText, fatalValueText, introText, whyStacks, whyBuild, whyFiles,
	whyReflect, whyUnsafe, whyCost, whyAddress, whyPrivate, whyImplValue, whyMethod, whyFuncValue, whyTestingT,
	whyWorkbook, whyStateMatch}

// EnglishTexts returns the refusals' English sentences by a stable name, for the check
// that lists the ones changed since their Portuguese was brought in step.
func EnglishTexts() map[string]string {
	t := map[string]string{}
	for i, s := range englishTexts {
		t[fmt.Sprintf("refusal %d", i+1)] = s
	}
	return t
}

// english sets the refusals' sentences back to English.
var english = func() func() {
	v := englishTexts
	return func() {
		realClockText, fatalText, fatalGlobalText, fatalValueText, introText, whyStacks, whyBuild, whyFiles,
			whyReflect, whyUnsafe, whyCost, whyAddress, whyPrivate, whyImplValue, whyMethod, whyFuncValue, whyTestingT,
			whyWorkbook, whyStateMatch = v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9], v[10], v[11], v[12],
			v[13], v[14], v[15], v[16], v[17], v[18]
	}
}()

// SetLang makes the refusals speak l. The tool calls it once, before it grades anything.
func SetLang(l i18n.Lang) {
	english()
	if l != i18n.Portuguese {
		return
	}
	realClockText = "%s fora de uma bolha do synctest: um teste no relógio real (um sleep ou um timer reais, " +
		"ou durações reais comparadas com uma tolerância) testa o quanto a máquina está ocupada, não o código: ele " +
		"passa numa máquina ociosa e falha numa carregada, e deixa passar código errado por menos que a tolerância. " +
		"Leia e espere o relógio só dentro de uma bolha, onde o tempo é simulado e exato: dentro da função literal " +
		"que você passa a synctest.Test ou guard.Bubble, ou numa função dos seus arquivos de teste usada só de " +
		"dentro dessas literais. Fora de uma bolha, limite uma espera com guard.Run."
	fatalText = "%s chamado de uma goroutine que seu teste iniciou (linha %d): t.Fatal, t.FailNow, t.Skip e " +
		"toda função do require param só a goroutine que os chama, então de outra goroutine eles não param o " +
		"teste, que segue como se a verificação tivesse passado (ou trava esperando essa goroutine); o pacote " +
		"testing do Go proíbe isso. Mande o que a goroutine viu para a goroutine do teste (por um canal) e " +
		"verifique lá, ou use t.Error ou assert, que só registram a falha."
	fatalGlobalText = "%s chamado num *testing.T guardado numa variável de pacote: nada diz qual goroutine roda " +
		"esse teste, e t.Fatal, t.FailNow, t.Skip e require precisam ser chamados dela. Passe t como argumento."
	fatalValueText = "%s usado como valor: t.Fatal, t.FailNow, t.Skip e require precisam ser chamados " +
		"diretamente, onde fica claro que é a própria goroutine do teste que os chama."
	introText = "%s: %s. Um teste precisa distinguir uma implementação errada da certa pelo que ela faz " +
		"(o que seus métodos retornam, e quando), nunca pela aparência do programa por dentro; chame a API " +
		"exportada e verifique o contrato do comentário de documentação."
	whyStacks = "ele lê pilhas ou chamadores, que dizem arquivos, linhas e funções: o lugar do código, não o que ele faz"
	whyBuild = "ele lê como o binário de teste foi compilado ou como roda (informações de build, flags, o caminho dele, perfis, cobertura)"
	whyFiles = "ele alcança arquivos, o ambiente ou o sistema; um teste deste capítulo não precisa de nada disso"
	whyReflect = "reflexão olha a estrutura do programa (tipos, campos, ponteiros de função); só reflect.DeepEqual é permitido"
	whyUnsafe = "unsafe, cgo e diretivas do compilador passam por cima das regras da linguagem"
	whyCost = "ele mede quanto uma chamada custa (alocações, memória, tempo por chamada), o que muda de uma implementação correta para outra"
	whyAddress = "ele transforma um endereço, uma função ou um canal em texto (%p, ou imprimir uma func, um chan, um ponteiro ou um uintptr), e endereços mudam com o build, não com o comportamento"
	whyPrivate = "ele alcança um nome que a implementação não exporta: os campos, os auxiliares e os métodos não exportados dela podem mudar à vontade; teste a API exportada"
	whyImplValue = "ele entrega um valor dos tipos da implementação a código que pode olhar dentro dele (imprimir, comparar, reflexão)"
	whyMethod = "ele declara um método num tipo da implementação: testes chamam a implementação, não a estendem"
	whyFuncValue = "ele transforma uma função num valor de interface, que se imprime como o endereço dela"
	whyTestingT = "o testify relata pelo *testing.T que recebe: passe o t do próprio teste (ou o *assert.CollectT do EventuallyWithT), não um valor seu que possa ler o relatório"
	whyWorkbook = "ele traz o código do próprio workbook além do suporte aos testes (guard, rendezvous): uma solução de referência para comparar, ou ferramentas que leem arquivos"
	whyStateMatch = "guard.States e guard.AwaitState comparam com o texto das pilhas das goroutines: passe a eles o nome de uma função ou de um método exportado da implementação, como constante"
}
