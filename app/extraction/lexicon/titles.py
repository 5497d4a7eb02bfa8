"""Titles, ranks and role words: what may stand before or after a name in a speaker phrase.

General knowledge of English news usage. ``PERSON_ROLE_HEADS`` and ``BODY_ROLE_HEADS`` are
nouns that can head a description of a speaker on their own ("the candidate said", "the
campaign said"); direct-quote attribution reads them on top of the speakers module's core set.
"""

from __future__ import annotations

_PERSON = """
candidate candidates nominee nominees frontrunner front-runner contender challenger
incumbent strategist strategists pollster pollsters aide aides staffer staffers consultant
consultants operative operatives lobbyist lobbyists donor donors fundraiser delegate
delegates elector electors voter voters supporter supporters opponent opponents critic
critics backer backers ally allies adviser advisers advisor advisors counselor counsel
attorney attorneys lawyer lawyers solicitor barrister defendant plaintiff suspect
congressman congresswoman congressmen councilman councilwoman councillor alderman
legislator legislators lawmakers senators representatives assemblyman assemblywoman
treasurer comptroller auditor inspector sheriff clerk justice justices
economist economists scholar scholars historian historians scientist scientists
professor professors lecturer fellow author authors writer writers columnist columnists
editor editors publisher anchor host hosts commentator commentators pundit pundits
blogger bloggers reporter reporters correspondent broadcaster presenter producer
actor actress singer musician comedian artist filmmaker athlete coach player
executive executives chairwoman founder co-founder partner
investor investors banker bankers trader traders broker analysts accountant
entrepreneur businessman businesswoman manager managers employee employees
organizer organizers organiser organisers activists campaigner campaigners
advocate advocates protester protesters demonstrator demonstrators leaders
pastor priest rabbi imam bishop cardinal cleric preacher chaplain
agent agents investigator investigators detective prosecutors judges magistrate juror
jurors victim victims survivors neighbor neighbour neighbours neighbors students teachers
parent parents son daughter wife husband widow brother sister friend friends relative
relatives veteran veterans soldiers sergeant marine doctors physician nurses paramedic
patient patients engineers farmers drivers vendor tenant retiree immigrant immigrants
refugees migrant migrants directors secretary diplomats experts observer observers
monitors member members chair
"""

_BODY = """
campaign campaigns committee party administration government ministry department agency
office bureau council commission court board company firm corporation group organisation
organization foundation institute association union coalition alliance network newspaper
paper magazine station channel website statement report letter memo study survey poll
"""

PERSON_ROLE_HEADS: frozenset[str] = frozenset(_PERSON.split())
BODY_ROLE_HEADS: frozenset[str] = frozenset(_BODY.split())

#: words of titles and roles (never part of a person's name)
_ROLE_WORDS = """
acting activist administrator admiral adviser advisor affairs agency aid ambassador analyst
army authorities authority bishop brigadier capt captain ceo chair chairman chairwoman
chancellor chief chief's civilian cleric co-founder col colonel colonel-general commander
commanders commissioner commissioner's coordinator coordinator's correspondent dame defence
defense deputy deputy-head diplomat director doctor dr driver economist elder elders
emergencies emergency emir engineer envoy evacuee executive expert farmer father fighter
first foreign former founder gen general gov governor governor's grandfather grandmother
head health high humanitarian imam interim interior journalist judge king lawmaker leader
leaders lieutenant lieutenant-general local lord lt maj major major-general manager marshal
mayor mayor's mediator medic military minister minister's ministry monitor mother mp mps mr
mrs ms mufti national negotiator nurse observer officer officers official official's
officials ombudsman operations owner paramedic patriarch pilot police pope premier president
president's president-elect press priest prime prince prof professor prosecutor queen
rapporteur refugee regional relief rep reporter representative representative's researcher
resident residents rev second secretary secretary-general secretary-general's security sen
senator senior sergeant sgt sheikh shopkeeper sir soldier speaker special spokesman
spokespeople spokesperson spokesperson's spokeswoman student surgeon survivor teacher vice
vice-president volunteer witness witnesses worker workers
"""

#: role nouns that head a description in reported speech and in attribution
_ROLE_HEADS = """
activist administration administrator adviser advisor agency ambassador analyst army
authorities authority chairman chancellor chief civilian coalition colonel commander
commission commissioner committee company coordinator council court diplomat director doctor
driver embassy engineer envoy evacuee expert farmer father fighter force forces general
government governor group head journalist judge junta lawmaker leader mayor mediator medic
medics military militia minister ministry monitor mother mp negotiator network nurse office
officer official officials ombudsman operator organisation organization owner pensioner
physician pilot police premier president professor programme prosecutor rapporteur rebels
refugee regime representative representatives rescuers researcher researchers resident
residents secretary senator service services shopkeeper soldier sources spokesman
spokespeople spokesperson spokeswoman student surgeon survivor teacher utility volunteer
volunteers witness worker workers
"""

#: titles of people (never an organisation's name)
_PERSON_TITLES = """
adviser advisor ambassador chairman chairwoman chancellor chief colonel commander
commissioner coordinator director dr dr. envoy general governor king leader mayor minister
mr mr. mrs mrs. ms ms. officer official premier president prince queen rapporteur
representative secretary senator sir spokesman spokesperson spokeswoman
"""

ROLE_WORDS: set[str] = set(_ROLE_WORDS.split())
ROLE_HEADS: set[str] = set(_ROLE_HEADS.split())
PERSON_TITLES: set[str] = set(_PERSON_TITLES.split())
