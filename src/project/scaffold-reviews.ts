// The two example reviews `build-volumes init` writes: original, spoiler-free text that shows
// the front matter keys, a footnote and a link between reviews. Pure data.

export const exampleReviews: ReadonlyArray<{name: string; text: string}> = [
  {
    name: 'brief-encounter-1945.md',
    text: `---
title: Brief Encounter
year: 1945
director: David Lean
rating: 5
published: 2024-02-15
tags: [romance, drama, british]
---

Some British films do their most important work in the gaps between what people say, and David Lean's adaptation of Noël Coward's short play may be the purest example. Laura Jesson (Celia Johnson) is a comfortable suburban wife who goes into town every Thursday to change her library book and catch a matinee. One afternoon, in the refreshment room of a railway station[^1], a doctor called Alec Harvey (Trevor Howard) helps her with a speck of grit in her eye. That is nearly the whole premise, and it is plenty.

Johnson is extraordinary. Much of the story reaches us through her inner voice, and she gives those lines the rhythm of someone trying hard to be sensible about feelings that won't be. Her face does the rest: a flicker of guilt here, a sudden lightness there. Howard is gentler than you might expect, and together they make an ordinary chat over a pot of tea feel like a small act of daring.

Around them, Lean and Coward build a lively little world of station staff and nosy acquaintances whose comic chatter keeps the air moving. Robert Krasker's black-and-white photography makes steam, platform lamps and express trains feel almost like weather, and Rachmaninov's second piano concerto swells up whenever the characters themselves cannot.

Nearly eighty years on, it remains a tender, grown-up film about restraint -- and about what restraint costs.

[^1]: The station scenes were shot at Carnforth in Lancashire, where a restored refreshment room now makes the most of the connection.
`
  },
  {
    name: 'the-red-shoes-1948.md',
    text: `---
title: The Red Shoes
year: 1948
director:
  - Michael Powell
  - Emeric Pressburger
rating: 4.5
published: 2024-03-07
tags: [drama, music, british]
---

If [Brief Encounter](brief-encounter-1945.md) is British cinema at its most buttoned-up, this ballet film from Michael Powell and Emeric Pressburger is the same national cinema throwing off its coat and dancing in the street. I can think of few films so openly, gloriously in love with colour.

Victoria Page (Moira Shearer) is a young dancer with enormous talent and little patience for waiting her turn. Julian Craster (Marius Goring) is a student composer with much the same problem. Both find their way into the company of Boris Lermontov (Anton Walbrook), an impresario who believes art should come before everything, and who decides to stage a new ballet based on a Hans Christian Andersen fairy tale.

Walbrook is magnetic: precise, witty and quietly alarming, a man able to make a compliment sound like a contract. Shearer, a real ballerina in her first film role, dances beautifully and acts with a directness that suits her character's hunger.

The centrepiece is the ballet itself, a long, almost wordless sequence in which the stage opens out into something no theatre could hold. Jack Cardiff, who had already worked wonders with Technicolor on *Black Narcissus*, shoots it as though he had been handed every colour in the box and told there was no budget.

The backstage scenes are just as good: rehearsals, quarrels, a season in Monte Carlo, the gossip and graft of a working company. It's a film about what a vocation asks of the people who answer it, and it has rarely looked so alive.
`
  }
]
