# Dépêches originales, en français. Écrites pour ce jeu de développement dans le style des agences ; fictives.
BG_SAHEL_FR = ("Le Mali, le Burkina Faso et le Niger, dirigés par des juntes arrivées au pouvoir par des coups "
               "d'État entre 2020 et 2023, sont confrontés aux violences de groupes jihadistes affiliés à "
               "Al-Qaïda et à l'organisation État islamique, qui ont fait des milliers de morts civils et "
               "militaires et des millions de déplacés.")
BG_BURKINA_FR = ("Le Burkina Faso est dirigé depuis septembre 2022 par le capitaine Ibrahim Traoré, qui a fait "
                 "de la reconquête du territoire, dont près de la moitié échappe au contrôle de l'État selon "
                 "des ONG, sa priorité.")

ORIGINALS_FR = [
    dict(key="fr_menaka", event="ev_menaka", lang="fr", source="Journal du Sahel", link="https://journaldusahel.example/2026/11/21/menaka-attaque-eigs",
         title="Mali : au moins vingt civils tués dans une attaque près de Ménaka",
         paras=[
             "Au moins vingt civils ont été tués samedi dans l'attaque d'un village de la région de Ménaka, dans le nord-est du Mali, par des hommes armés présumés de l'organisation État islamique au Sahel, ont indiqué à l'AFP des sources locales et sécuritaires.",
             "Les assaillants, arrivés à moto en fin de matinée, ont ouvert le feu sur des habitants rassemblés au marché hebdomadaire d'Inékar avant d'incendier des boutiques et d'emporter du bétail, a raconté un élu local joint par téléphone.",
             "« Nous avons enterré vingt-trois corps, dont ceux de plusieurs enfants », a déclaré un notable de la localité, sous couvert d'anonymat pour des raisons de sécurité.",
             "La région de Ménaka, frontalière du Niger, est depuis plusieurs années le théâtre d'affrontements entre l'EI au Sahel et des groupes armés locaux, et des milliers d'habitants ont fui vers la ville de Ménaka.",
             BG_SAHEL_FR,
         ]),
    dict(key="fr_tillaberi", event="ev_tillaberi", lang="fr", source="Niamey Info", link="https://niameyinfo.example/securite/embuscade-tillaberi",
         title="Niger : douze soldats tués dans une embuscade dans la région de Tillabéri",
         paras=[
             "Douze soldats nigériens ont été tués mercredi dans une embuscade tendue par des « terroristes » dans la région de Tillabéri, près de la frontière malienne, a annoncé jeudi le ministère de la Défense.",
             "La patrouille a été attaquée près du village de Tabatol par « plusieurs centaines » d'assaillants circulant à moto, selon un communiqué lu à la télévision publique.",
             "Plus de quarante assaillants ont été « neutralisés » lors des combats et des frappes aériennes qui ont suivi, affirme le ministère, un bilan impossible à vérifier de source indépendante.",
             "La région de Tillabéri est située dans la zone dite des « trois frontières » entre le Niger, le Mali et le Burkina Faso, repaire de jihadistes de l'État islamique au Sahel.",
         ]),
    dict(key="fr_segou_ied", event="ev_segou", lang="fr", source="Journal du Sahel", link="https://journaldusahel.example/2026/11/19/segou-engin-explosif",
         title="Mali : cinq soldats tués par un engin explosif dans la région de Ségou",
         paras=[
             "Cinq soldats maliens ont été tués et quatre autres blessés mardi lorsque leur véhicule a sauté sur un engin explosif improvisé dans la région de Ségou, dans le centre du pays, a annoncé l'armée.",
             "Le véhicule faisait partie d'un convoi de ravitaillement qui circulait entre Niono et Diabaly lorsque l'explosion s'est produite, selon un communiqué de l'état-major.",
             "Une source sécuritaire a précisé que le convoi avait ensuite été la cible de tirs, repoussés par les militaires, et qu'une opération de ratissage était en cours dans la zone.",
             "Les engins explosifs improvisés sont devenus l'une des principales causes de pertes pour l'armée malienne dans le centre du pays, où opèrent des combattants du Groupe de soutien à l'islam et aux musulmans (JNIM).",
             BG_SAHEL_FR,
         ]),
    dict(key="fr_san_bus", event="ev_san_bus", lang="fr", source="Bamako Hebdo", link="https://bamakohebdo.example/actualite/san-car-mine",
         title="Mali : un car de voyageurs saute sur une mine près de San, huit morts",
         paras=[
             "Huit passagers ont été tués et une quinzaine blessés samedi lorsqu'un car de transport en commun a sauté sur un engin explosif près de San, dans la région de Ségou, ont indiqué des sources sanitaires et locales.",
             "Le véhicule, qui reliait Bamako à Mopti, a heurté l'engin à une dizaine de kilomètres de San, a précisé un responsable de la compagnie de transport joint par téléphone.",
             "Les blessés ont été évacués vers l'hôpital de San, où plusieurs se trouvent dans un état grave, selon un médecin.",
             "Les routes du centre du Mali sont régulièrement minées par des groupes jihadistes, et les civils sont de plus en plus souvent victimes de ces engins destinés aux convois militaires.",
             BG_SAHEL_FR,
         ]),
    dict(key="fr_bf_mobilisation", event="ev_bf_mob", lang="fr", source="Ouaga Actu", link="https://ouagaactu.example/politique/mobilisation-generale",
         title="Burkina Faso : le gouvernement décrète la « mobilisation générale »",
         paras=[
             "Le gouvernement burkinabè a décrété jeudi la « mobilisation générale » et la « mise en garde » de l'ensemble du territoire, afin de donner à l'État « tous les moyens nécessaires » face aux groupes jihadistes.",
             "Le décret permet notamment de réquisitionner des personnes et des biens et d'appeler sous les drapeaux des jeunes de plus de 18 ans, a expliqué le ministre de la Défense à l'issue du conseil des ministres.",
             "Cette mesure intervient après une série d'attaques meurtrières contre l'armée et les Volontaires pour la défense de la patrie (VDP), des supplétifs civils de l'armée.",
             BG_BURKINA_FR,
         ]),
    dict(key="fr_tombouctou", event="ev_tombouctou", lang="fr", source="Journal du Sahel", link="https://journaldusahel.example/2026/11/24/tombouctou-blocus",
         title="Tombouctou étranglée par le blocus imposé par les jihadistes",
         paras=[
             "Les prix des denrées de première nécessité ont plus que doublé à Tombouctou, dans le nord du Mali, où le Groupe de soutien à l'islam et aux musulmans (JNIM) impose depuis trois mois un blocus sur les routes et le fleuve.",
             "« Le sac de riz est passé de 20 000 à 45 000 francs CFA, et beaucoup de familles ne mangent plus qu'une fois par jour », a témoigné un commerçant de la ville, joint par téléphone.",
             "Les camions de marchandises ne circulent plus depuis que les jihadistes ont annoncé, dans un message audio, qu'ils cibleraient tout véhicule se rendant dans la ville.",
             "L'armée malienne assure ravitailler la population par voie aérienne, mais les habitants estiment que ces livraisons sont insuffisantes.",
         ]),
    dict(key="fr_cedeao_niger", event="ev_cedeao", lang="fr", source="Niamey Info", link="https://niameyinfo.example/politique/cedeao-sanctions",
         title="La Cédéao maintient ses sanctions contre le Niger",
         paras=[
             "Les chefs d'État de la Communauté économique des États de l'Afrique de l'Ouest (Cédéao) ont décidé dimanche de maintenir les sanctions économiques et financières imposées au Niger après le coup d'État de juillet.",
             "Réunis en sommet extraordinaire à Abuja, ils ont toutefois laissé la porte ouverte à un allègement progressif si la junte au pouvoir à Niamey présente un calendrier de transition « raisonnable ».",
             "Le communiqué final ne fait plus mention de l'option militaire évoquée au lendemain du putsch, mais rappelle que la force en attente de l'organisation reste « prête ».",
             "Les sanctions, qui incluent la fermeture des frontières et le gel des avoirs de l'État nigérien à la banque centrale régionale, ont provoqué des pénuries de médicaments et de denrées.",
         ]),
    dict(key="fr_djibo", event="ev_djibo", lang="fr", source="Ouaga Actu", link="https://ouagaactu.example/securite/djibo-attaque",
         title="Burkina : des dizaines de morts dans une attaque massive contre Djibo",
         paras=[
             "Des dizaines de personnes, civils et militaires, ont été tuées dimanche dans une attaque de grande ampleur menée par des jihadistes contre la ville de Djibo, dans le nord du Burkina Faso, selon des sources sécuritaires et locales.",
             "Des centaines d'assaillants ont attaqué simultanément plusieurs positions de l'armée, un camp de déplacés et des quartiers de la ville, a indiqué une source sécuritaire, faisant état de combats pendant plusieurs heures.",
             "L'attaque a été revendiquée par le JNIM, lié à Al-Qaïda, dans un communiqué diffusé par ses canaux de propagande.",
             "Djibo, qui abrite des dizaines de milliers de déplacés, est soumise à un blocus jihadiste depuis 2022 et n'est ravitaillée que par des convois escortés ou par les airs.",
             BG_BURKINA_FR,
         ]),
    dict(key="fr_djibo_b", event="ev_djibo", lang="fr", source="Radio Sahel", link="https://radiosahel.example/nouvelles/djibo-bilan",
         title="Attaque de Djibo : les habitants racontent une journée d'horreur",
         paras=[
             "Au lendemain de l'assaut jihadiste contre Djibo, les habitants de cette ville du nord du Burkina Faso enterraient leurs morts lundi, dans un climat de peur et de colère, selon des témoignages recueillis par téléphone.",
             "« Ils sont entrés par l'est de la ville vers six heures et ont tiré sur tout ce qui bougeait », raconte un enseignant réfugié dans une mosquée avec sa famille pendant les combats.",
             "Aucun bilan officiel n'a été communiqué par les autorités, mais plusieurs sources locales évoquent plus de cinquante morts, dont une majorité de civils.",
             "Le gouvernement a affirmé dans un communiqué que l'armée avait « repoussé l'ennemi » et que la situation était « sous contrôle ».",
         ]),
    dict(key="fr_fespaco", event="ev_fespaco", lang="fr", source="Culture Afrique", link="https://cultureafrique.example/cinema/fespaco-ouverture",
         title="Ouagadougou ouvre le Fespaco sous haute sécurité",
         paras=[
             "Le Festival panafricain du cinéma et de la télévision de Ouagadougou (Fespaco) s'est ouvert samedi dans la capitale burkinabè, avec plus de 200 films en compétition et un important dispositif de sécurité.",
             "Des milliers de spectateurs ont assisté à la cérémonie d'ouverture au palais des sports, où se sont succédé musiciens, danseurs et cinéastes venus de tout le continent.",
             "Le film d'ouverture, une fresque historique tournée au Sénégal, a été longuement applaudi par le public.",
             "Le palmarès, dont l'Étalon d'or de Yennenga, sera dévoilé à la fin de la semaine.",
         ]),
    dict(key="fr_coton", event="ev_coton", lang="fr", source="Éco Sahel", link="https://ecosahel.example/agriculture/coton-recolte",
         title="Mali : la production de coton attendue en hausse de 15 %",
         paras=[
             "La production de coton du Mali devrait atteindre 780 000 tonnes lors de la campagne en cours, en hausse de 15 % sur un an, grâce à une bonne pluviométrie et à la baisse du prix des engrais, selon la compagnie nationale.",
             "Le pays, qui dispute au Bénin la place de premier producteur africain, avait vu sa récolte s'effondrer il y a trois ans à cause d'une invasion de jassides, des insectes ravageurs.",
             "Les producteurs se plaignent toutefois de retards de paiement et de la hausse des coûts de transport, liée à l'insécurité sur certains axes.",
             "Le coton fait vivre directement ou indirectement plusieurs millions de Maliens.",
         ]),
    dict(key="fr_canaries", event="ev_migr", lang="fr", source="Le Quotidien Atlantique", link="https://quotidienatlantique.example/migrations/canaries-pirogue",
         title="Une pirogue avec 180 migrants arrive aux Canaries",
         paras=[
             "Une pirogue transportant 180 migrants, dont une quarantaine de femmes et d'enfants, est arrivée dimanche sur l'île d'El Hierro, aux Canaries, après dix jours de mer, selon les secours espagnols.",
             "L'embarcation était partie des côtes mauritaniennes, ont indiqué les autorités, qui ont transféré plusieurs passagers souffrant de déshydratation vers l'hôpital.",
             "Les arrivées sur l'archipel espagnol ont fortement augmenté cette année, la route atlantique étant devenue l'une des plus empruntées, et des plus dangereuses, vers l'Europe.",
             "De nombreux migrants disent fuir la pauvreté et l'insécurité au Sahel, notamment au Mali.",
         ]),
    dict(key="fr_budget", event="ev_fr_budget", lang="fr", source="Le Quotidien Atlantique", link="https://quotidienatlantique.example/politique/budget-assemblee",
         title="Budget 2027 : le gouvernement face à une motion de censure",
         paras=[
             "Le gouvernement français affronte mardi une motion de censure déposée par l'opposition après avoir engagé sa responsabilité sur le projet de budget 2027 à l'Assemblée nationale.",
             "Le Premier ministre a défendu un texte « de responsabilité », qui prévoit 40 milliards d'euros d'économies et une hausse ciblée de certains impôts.",
             "Pour être adoptée, la motion doit recueillir la majorité absolue des députés, soit 289 voix, un seuil que l'opposition pourrait atteindre si elle s'unit.",
             "En cas de censure, le gouvernement serait contraint de démissionner et le budget devrait être à nouveau présenté.",
         ]),
]
