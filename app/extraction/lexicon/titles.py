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
