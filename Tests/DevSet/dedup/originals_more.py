# More originals, chosen as hard negatives for the ones in originals_en.py / originals_fr.py:
# same places, same actors, same formulaic sentences, different events.
from originals_en import BG_MALI, BG_BURKINA, BG_NIGER
from originals_fr import BG_SAHEL_FR

ORIGINALS_MORE = [
    dict(key="mopti_post_again", event="ev_mopti2", lang="en", source="Sahel Wire", link="https://sahelwire.example/2026/11/27/mali-sevare-post-attacked-again",
         title="Army post near Mopti attacked again, three soldiers killed",
         paras=[
             "Gunmen attacked the army post at Sévaré-Sud near Mopti in central Mali for the second time in a week on Thursday, killing three soldiers, two military sources said.",
             "The attackers fired mortar rounds at the post from the riverbank after nightfall and withdrew before dawn, one of the sources said, adding that the post's perimeter wall had been damaged.",
             "The army did not immediately comment. Its general staff had said after the previous attack, on Sunday, that security around Mopti would be stepped up.",
             "No group immediately claimed responsibility, but the al-Qaeda-linked Group to Support Islam and Muslims (JNIM) is active in the area and has carried out similar raids on army positions this year.",
             BG_MALI,
         ]),
    dict(key="bf_convoy_kaya", event="ev_kaya", lang="en", source="Global Desk", link="https://globaldesk.example/world/africa/burkina-convoy-ambush-kaya",
         title="Dozens killed in ambush on supply convoy in Burkina Faso",
         paras=[
             "At least 27 soldiers and auxiliary fighters were killed when jihadists ambushed a supply convoy between the towns of Kaya and Dori in northern Burkina Faso on Saturday, security sources said.",
             "The convoy of more than 100 trucks, escorted by the army and the Volunteers for the Defence of the Homeland (VDP), was attacked near the village of Gaskindé, one of the sources said.",
             "Several trucks were set on fire and an unknown number of civilian drivers are missing, a transport union official said.",
             "Supply convoys to towns under blockade in the north have become a frequent target of the jihadists, who plant explosives on the roads before attacking the escorts.",
             BG_BURKINA,
         ]),
    dict(key="mali_fuel", event="ev_fuel", lang="en", source="Africa Ledger", link="https://africaledger.example/mali-fuel-blockade-bamako",
         title="Jihadist fuel blockade causes shortages in Mali's capital",
         paras=[
             "Long queues formed at petrol stations in Bamako on Wednesday as a blockade on fuel imports imposed by al-Qaeda-linked militants caused severe shortages in Mali's capital.",
             "JNIM fighters have attacked dozens of tanker trucks on the main roads from Senegal and Ivory Coast since September, setting many on fire and kidnapping drivers.",
             "The government has closed schools for two weeks, citing transport problems, and said it was organising escorted convoys to bring fuel into the city.",
             "Analysts say the blockade marks a shift in the militants' strategy towards economic pressure on the junta.",
             BG_MALI,
         ]),
    dict(key="niger_uranium", event="ev_uranium", lang="en", source="Mining Brief", link="https://miningbrief.example/niger-nationalises-uranium-mine",
         title="Niger nationalises uranium mine operated by French group",
         paras=[
             "Niger's military government said on Thursday it was nationalising a uranium mine run by a French nuclear fuel group, escalating a long-running dispute over control of the country's mineral wealth.",
             "The government accused the operator of 'irresponsible' conduct and said the state would take over the mine and its stockpile of uranium concentrate near the northern town of Arlit.",
             "The French group, which had already lost operational control of the site, said it would pursue international arbitration.",
             "Niger is one of the world's largest uranium producers, and the mine once supplied a significant share of fuel for France's nuclear reactors.",
             BG_NIGER,
         ]),
    dict(key="fr_kaya_convoi", event="ev_kaya", lang="fr", source="Ouaga Actu", link="https://ouagaactu.example/securite/convoi-kaya-dori",
         title="Burkina : un convoi de ravitaillement attaqué entre Kaya et Dori",
         paras=[
             "Au moins vingt-sept soldats et supplétifs ont été tués samedi dans l'attaque d'un convoi de ravitaillement entre Kaya et Dori, dans le nord du Burkina Faso, ont indiqué des sources sécuritaires.",
             "Le convoi, composé d'une centaine de camions escortés par l'armée et les Volontaires pour la défense de la patrie (VDP), est tombé dans une embuscade près de Gaskindé, selon une de ces sources.",
             "Plusieurs camions ont été incendiés et des chauffeurs sont portés disparus, a précisé un responsable syndical des transporteurs.",
             BG_SAHEL_FR,
         ]),
    dict(key="fr_gao_drone", event="ev_gao", lang="fr", source="Journal du Sahel", link="https://journaldusahel.example/2026/11/26/gao-frappe-drone",
         title="Mali : une frappe de drone fait des victimes civiles près de Gao",
         paras=[
             "Une frappe de drone de l'armée malienne a tué au moins six civils, dont des enfants, lors d'un mariage dans un village proche de Gao, dans le nord du Mali, ont affirmé jeudi des sources locales et un groupe armé.",
             "L'armée a indiqué sur les réseaux sociaux avoir « neutralisé » un groupe de terroristes dans la zone, sans évoquer de victimes civiles.",
             "Les frappes de drones, menées avec des appareils acquis auprès de la Turquie, se sont multipliées dans le nord du pays depuis le départ de la mission de l'ONU (Minusma).",
             BG_SAHEL_FR,
         ]),
]
