"""Word lists shipped with the identifying-details scanner.

PLACES: Dutch municipalities (as of 2024) plus a few well-known towns, city districts and
everyday names of cities (Den Bosch) that respondents use. FIRST_NAMES: common first names in
the Netherlands across generations and backgrounds. Both are deliberately incomplete: the scanner
marks *candidates* for a person to review, it does not promise to find everything.
"""

PLACES = """
Aa en Hunze|Aalsmeer|Aalten|Achtkarspelen|Alblasserdam|Albrandswaard|Alkmaar|Almelo|Almere|
Alphen aan den Rijn|Alphen-Chaam|Altena|Ameland|Amersfoort|Amstelveen|Amsterdam|Apeldoorn|
Arnhem|Assen|Asten|Baarle-Nassau|Baarn|Barendrecht|Barneveld|Beek|Beekdaelen|Beesel|Berg en Dal|
Bergeijk|Bergen|Bergen op Zoom|Berkelland|Bernheze|Beuningen|Beverwijk|Bladel|Blaricum|Bloemendaal|
Bodegraven|Bodegraven-Reeuwijk|Boekel|Borger-Odoorn|Borne|Borsele|Boxtel|Breda|Bronckhorst|
Brummen|Brunssum|Bunnik|Bunschoten|Buren|Capelle aan den IJssel|Castricum|Coevorden|Cranendonck|
Culemborg|Dalfsen|Dantumadiel|De Bilt|De Fryske Marren|De Ronde Venen|De Wolden|Delft|Den Haag|
Den Helder|Den Bosch|Deurne|Deventer|Diemen|Dijk en Waard|Dinkelland|Doesburg|Doetinchem|Dongen|
Dordrecht|Drechterland|Drimmelen|Dronten|Druten|Duiven|Echt-Susteren|Edam-Volendam|Ede|Eemnes|
Eemsdelta|Eersel|Eijsden-Margraten|Eindhoven|Elburg|Emmen|Emmeloord|Enkhuizen|Enschede|Epe|Ermelo|
Etten-Leur|Geertruidenberg|Geldrop-Mierlo|Gemert-Bakel|Gennep|Gilze en Rijen|Goeree-Overflakkee|
Goes|Goirle|Gooise Meren|Gorinchem|Gouda|Groningen|Gulpen-Wittem|Haaksbergen|Haarlem|
Haarlemmermeer|Hardenberg|Harderwijk|Hardinxveld-Giessendam|Harlingen|Hattem|Heemskerk|
Heemstede|Heerde|Heerenveen|Heerlen|Heeze-Leende|Heiloo|Hellendoorn|Hellevoetsluis|Helmond|
Hendrik-Ido-Ambacht|Hengelo|Het Hogeland|Heumen|Heusden|Hillegom|Hilvarenbeek|Hilversum|
Hoeksche Waard|Hof van Twente|Hollands Kroon|Hoogeveen|Hoofddorp|Hoorn|Horst aan de Maas|
Houten|Huizen|Hulst|IJsselstein|Kaag en Braassem|Kampen|Kapelle|Katwijk|Kerkrade|Koggenland|
Krimpen aan den IJssel|Krimpenerwaard|Laarbeek|Land van Cuijk|Landgraaf|Landsmeer|Lansingerland|
Laren|Leeuwarden|Leiden|Leiderdorp|Leidschendam-Voorburg|Lelystad|Leudal|Leusden|Lingewaard|
Lisse|Lochem|Loon op Zand|Lopik|Losser|Maasdriel|Maasgouw|Maashorst|Maassluis|Maastricht|
Medemblik|Meerssen|Meierijstad|Meppel|Middelburg|Midden-Delfland|Midden-Drenthe|Midden-Groningen|
Moerdijk|Molenlanden|Montferland|Montfoort|Mook en Middelaar|Neder-Betuwe|Nederweert|Nieuwegein|
Nieuwkoop|Nijkerk|Nijmegen|Nissewaard|Noardeast-Fryslân|Noord-Beveland|Noordenveld|
Noordoostpolder|Noordwijk|Nuenen|Nunspeet|Oegstgeest|Oirschot|Oisterwijk|Oldambt|Oldebroek|
Oldenzaal|Olst-Wijhe|Ommen|Oost Gelre|Oosterhout|Ooststellingwerf|Oostzaan|Opmeer|Opsterland|
Oss|Oude IJsselstreek|Ouder-Amstel|Oudewater|Overbetuwe|Papendrecht|Peel en Maas|Pekela|
Pijnacker-Nootdorp|Purmerend|Putten|Raalte|Reimerswaal|Renkum|Renswoude|Reusel-De Mierden|
Rheden|Rhenen|Ridderkerk|Rijssen-Holten|Rijswijk|Roerdalen|Roermond|Roosendaal|Rotterdam|Rozendaal|
Rucphen|Schagen|Scherpenzeel|Scheveningen|Schiedam|Schiermonnikoog|Schouwen-Duiveland|
's-Hertogenbosch|Simpelveld|Sint-Michielsgestel|Sittard-Geleen|Sliedrecht|Sluis|Smallingerland|
Soest|Someren|Son en Breugel|Stadskanaal|Staphorst|Stede Broec|Steenbergen|Steenwijkerland|Stein|
Stichtse Vecht|Súdwest-Fryslân|Terneuzen|Terschelling|Texel|Teylingen|Tholen|Tiel|Tilburg|
Tubbergen|Twenterand|Tynaarlo|Uden|Uitgeest|Uithoorn|Urk|Utrecht|Utrechtse Heuvelrug|Vaals|
Valkenburg aan de Geul|Valkenswaard|Veendam|Veenendaal|Veere|Veghel|Veldhoven|Velsen|Venlo|Venray|
Vijfheerenlanden|Vlaardingen|Vlieland|Vlissingen|Voerendaal|Voorne aan Zee|Voorschoten|Voorst|
Vught|Waadhoeke|Waalre|Waalwijk|Waddinxveen|Wageningen|Wassenaar|Waterland|Weert|West Betuwe|
West Maas en Waal|Westerkwartier|Westerveld|Westervoort|Westerwolde|Westland|Weststellingwerf|
Wierden|Wijchen|Wijdemeren|Wijk bij Duurstede|Winterswijk|Woensdrecht|Woerden|Wormerland|
Woudenberg|Zaanstad|Zaltbommel|Zandvoort|Zeewolde|Zeist|Zevenaar|Zoetermeer|Zoeterwoude|
Zuidplas|Zundert|Zutphen|Zwartewaterland|Zwijndrecht|Zwolle|Amsterdam-Noord|Amsterdam-Zuidoost|
Bijlmer|Osdorp|Slotervaart|Overvecht|Kanaleneiland|Lombok|Charlois|Feijenoord|Delfshaven|
Schilderswijk|Transvaal|Woensel|Stratum|Hoogvliet|Spijkenisse|Sittard|Geleen|Emmen|Drachten|Sneek
"""

# Capitalised place-like words that are also ordinary words or given names: never marked as places.
AMBIGUOUS_PLACES = {"Best", "Echt", "Beek", "Epe", "Stein", "Laren", "Bergen", "Buren", "Putten",
                    "Sluis", "Lisse"}

FIRST_NAMES = """
Aad|Aafke|Aart|Abdel|Abdelkader|Abdullah|Adam|Adrie|Adriaan|Agnes|Ahmed|Aisha|Ali|Alex|Alexander|
Amber|Amira|Amy|Ana|Andrea|André|Angela|Anita|Anja|Anke|Ankie|Anna|Anne|Anneke|Annemarie|Annie|
Anouk|Antoon|Arie|Arjan|Arnold|Astrid|Ayoub|Aziz|Babette|Bart|Bas|Bastiaan|Bea|Beatrix|Bernard|
Bert|Bertus|Betty|Bianca|Bilal|Bram|Brenda|Bregje|Carla|Carlos|Caroline|Cees|Chantal|Charlotte|
Chris|Christiaan|Cindy|Claudia|Coby|Cor|Corrie|Daan|Danny|Daniëlle|Dave|David|Debora|Demi|Dennis|
Diana|Dick|Dirk|Dora|Dries|Ed|Eddy|Edith|Eline|Elif|Elisabeth|Ellen|Els|Elly|Emma|Emine|Emre|Erik|
Esra|Esther|Eva|Evert|Fatima|Fatma|Femke|Fenna|Floor|Frank|Frans|Fred|Freek|Frits|Gerard|Gerda|
Gerrit|Gert|Gijs|Gerben|Greet|Gré|Guus|Hamid|Hanna|Hannie|Hans|Harm|Harry|Hasan|Hassan|Hein|Hendrik|
Henk|Henny|Herman|Hetty|Hilde|Hugo|Huub|Ibrahim|Ilse|Inge|Ingrid|Irene|Iris|Ivo|Jaap|Jacob|Jacqueline|
Jan|Janneke|Jannie|Jasper|Jeroen|Jesse|Joke|Johan|Johanna|Jolanda|Joost|Jop|Joris|Jos|José|Josje|
Julia|Karin|Kees|Khadija|Kim|Klaas|Koen|Kees|Laura|Leo|Lars|Leila|Lieke|Linda|Lisa|Lotte|Louis|Lucas|
Luuk|Maaike|Marco|Margriet|Maria|Marian|Marianne|Marieke|Mariska|Marjan|Marjolein|Mark|Marleen|
Martin|Martijn|Mehmet|Mieke|Mila|Milan|Mirjam|Mohamed|Mohammed|Monique|Mustafa|Naima|Nadia|Niels|
Nicole|Nina|Noor|Nora|Olga|Omar|Paul|Peter|Petra|Piet|Pieter|Priscilla|Rachid|Ria|Richard|Rik|Rina|
Rita|Rob|Robert|Robin|Roel|Ron|Ronald|Rosa|Ruud|Saida|Sandra|Sanne|Sara|Sarah|Sem|Sevda|Sjaak|Sjoerd|
Sophie|Stefan|Suzanne|Sven|Thijs|Thomas|Tim|Tineke|Tom|Ton|Truus|Twan|Wendy|Willem|Wim|Wout|
Yasmina|Yusuf|Yvonne|Zeynep|Zoë
"""


def split_list(block: str) -> tuple[str, ...]:
    """The entries of a '|'-separated block, in order, without blanks or duplicates."""
    seen: dict[str, None] = {}
    for line in block.split("\n"):
        for item in line.split("|"):
            item = item.strip()
            if item:
                seen.setdefault(item, None)
    return tuple(seen)
