PRAGMA foreign_keys=OFF;
BEGIN TRANSACTION;
CREATE TABLE alembic_version (
	version_num VARCHAR(32) NOT NULL, 
	CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num)
);
INSERT INTO alembic_version VALUES('0001');
CREATE TABLE anonymous_outcome (
	id INTEGER NOT NULL, 
	kept_at DATETIME NOT NULL, 
	ended_on DATE NOT NULL, 
	reason VARCHAR(24) NOT NULL, 
	unit_id INTEGER, 
	district_id INTEGER, 
	source_id INTEGER, 
	gender VARCHAR(16), 
	age_band VARCHAR(8), 
	target_groups JSON NOT NULL, 
	survey_status VARCHAR(16) NOT NULL, 
	category VARCHAR(16), 
	extent VARCHAR(16), 
	employment VARCHAR(24), 
	school VARCHAR(24), 
	better_chances VARCHAR(8), 
	staff_category VARCHAR(16), 
	PRIMARY KEY (id)
);
CREATE TABLE auditlog (
	id INTEGER NOT NULL, 
	at DATETIME NOT NULL, 
	actor VARCHAR(80) NOT NULL, 
	action VARCHAR(48) NOT NULL, 
	contact_id INTEGER, 
	detail VARCHAR(400), 
	PRIMARY KEY (id)
);
CREATE TABLE erasedcount (
	id INTEGER NOT NULL, 
	erased_at DATETIME NOT NULL, 
	reason VARCHAR(24) NOT NULL, 
	gender VARCHAR(16), 
	age_band VARCHAR(8), 
	unit_id INTEGER, 
	source_id INTEGER, 
	PRIMARY KEY (id)
);
CREATE TABLE feedback (
	id INTEGER NOT NULL, 
	created_at DATETIME NOT NULL, 
	category VARCHAR(24) NOT NULL, 
	text VARCHAR(1000) NOT NULL, 
	unit_id INTEGER, 
	PRIMARY KEY (id)
);
CREATE TABLE inboundmessage (
	id INTEGER NOT NULL, 
	channel VARCHAR(16) NOT NULL, 
	provider_id VARCHAR(80) NOT NULL, 
	contact_id INTEGER, 
	received_at DATETIME NOT NULL, 
	kind VARCHAR(16) NOT NULL, 
	text VARCHAR, 
	PRIMARY KEY (id), 
	CONSTRAINT uq_inbound_provider UNIQUE (channel, provider_id)
);
INSERT INTO inboundmessage VALUES(1,'sim-sms','sim-3ebd381b99904ab4ab63e03e15d40a2a',1,'2026-12-01 17:47:08.681972','text','hej');
INSERT INTO inboundmessage VALUES(2,'sim-sms','sim-053c8bb897ea4f58926ae6316e7295cb',1,'2026-12-01 17:47:11.087659','text','sv');
INSERT INTO inboundmessage VALUES(3,'sim-sms','sim-fd79b12b6377486688df321f9469c44a',1,'2026-12-01 17:47:13.328937','text','yes');
INSERT INTO inboundmessage VALUES(4,'sim-sms','sim-b59b058ddcf34f57ad95bb54bff90717',1,'2026-12-01 17:47:14.956334','text','20-24');
INSERT INTO inboundmessage VALUES(5,'sim-sms','sim-46efebeabf584612a0d082333254dcda',1,'2026-12-01 17:47:16.777585','text','farsta');
INSERT INTO inboundmessage VALUES(6,'sim-sms','sim-33fab1db406946a1b1472090cbe2fbc7',1,'2026-12-01 17:47:18.754145','text','kvinna');
INSERT INTO inboundmessage VALUES(7,'sim-sms','sim-77707e0ee40f4a9599a03eabf655e9a0',1,'2026-12-01 17:47:20.901778','text','jobb');
INSERT INTO inboundmessage VALUES(8,'sim-sms','sim-57083f84199440828e0a657e51ce7c2e',1,'2026-12-01 17:47:22.804534','text','book');
INSERT INTO inboundmessage VALUES(9,'sim-sms','sim-7d70ab01a93041fca76fe74e737a5762',1,'2026-12-01 17:47:24.276790','text','forsta-besok');
INSERT INTO inboundmessage VALUES(10,'sim-sms','sim-dbe2798a4342436f8a4ad49eb659177c',1,'2026-12-01 17:47:26.528764','text','2026-12-03');
INSERT INTO inboundmessage VALUES(11,'sim-sms','sim-8c494c0fa2f84b38ae9fbc765c5b5a62',1,'2026-12-01 17:47:28.573866','text','2026-12-03T09:00:00+00:00');
INSERT INTO inboundmessage VALUES(12,'sim-sms','sim-e37d6c1da79a44089db08b03f8d734d6',1,'2026-12-01 17:47:30.354062','text','Anna');
INSERT INTO inboundmessage VALUES(13,'sim-sms','sim-e1aab6b309f44c4e96c90a7faa198b5f',1,'2026-12-01 17:47:32.011579','text','none');
INSERT INTO inboundmessage VALUES(14,'sim-sms','sim-309e64aac5494ebe827dba71de860729',1,'2026-12-01 17:47:34.052464','text','yes');
INSERT INTO inboundmessage VALUES(15,'sim-telegram','sim-aa63711b388c4259b3a0c3e48ff2afff',2,'2026-12-01 17:47:34.834715','text','hej');
INSERT INTO inboundmessage VALUES(16,'sim-telegram','sim-f5fdbe2d812646828bf03412f29a6a49',2,'2026-12-01 17:47:35.749418','text','en');
INSERT INTO inboundmessage VALUES(17,'sim-telegram','sim-112fe224bace47a99e6ed76f0756b814',2,'2026-12-01 17:47:36.849463','text','yes');
INSERT INTO inboundmessage VALUES(18,'sim-sms','sim-ff92d7da5df44f5ca9e57682963b56ed',1,'2026-12-01 17:47:39.506361','text','meny');
INSERT INTO inboundmessage VALUES(19,'sim-sms','sim-7e587bf0d36d4f6a8c04fff6cf9fbd68',1,'2026-12-01 17:47:40.237033','text','human');
INSERT INTO inboundmessage VALUES(20,'sim-sms','sim-46e1ed47d6ee4fe9b348433dff8113b5',1,'2026-12-02 17:47:42.429130','text','yes');
CREATE TABLE job (
	id INTEGER NOT NULL, 
	kind VARCHAR(32) NOT NULL, 
	contact_id INTEGER, 
	due_at DATETIME NOT NULL, 
	payload JSON NOT NULL, 
	status VARCHAR(16) NOT NULL, 
	"key" VARCHAR(120), 
	lease_until DATETIME, 
	attempts INTEGER NOT NULL, 
	created_at DATETIME NOT NULL, 
	done_at DATETIME, 
	error VARCHAR(200), 
	PRIMARY KEY (id), 
	UNIQUE ("key")
);
INSERT INTO job VALUES(1,'retention',NULL,'2026-12-02 02:00:00.000000','{"months": 24, "zone": "Europe/Stockholm"}','done','retention:2026-12-02',NULL,0,'2026-12-01 17:47:07.200760','2026-12-02 02:00:00.023105',NULL);
INSERT INTO job VALUES(2,'booking_reminder',1,'2026-12-03 07:00:00.000000','{"booking_id": 1, "start": 1796288400, "offset": "2h"}','pending','reminder:1:1796288400:2h',NULL,0,'2026-12-01 17:47:34.052464',NULL,NULL);
INSERT INTO job VALUES(3,'booking_reminder',1,'2026-12-02 09:00:00.000000','{"booking_id": 1, "start": 1796288400, "offset": "24h"}','done','reminder:1:1796288400:24h',NULL,0,'2026-12-01 17:47:34.052464','2026-12-02 09:00:00.076178',NULL);
INSERT INTO job VALUES(4,'retention',NULL,'2026-12-03 02:00:00.000000','{"months": 24, "zone": "Europe/Stockholm"}','pending','retention:2026-12-03',NULL,0,'2026-12-02 02:00:00.000000',NULL,NULL);
CREATE TABLE loginfailure (
	id INTEGER NOT NULL, 
	username VARCHAR(64) NOT NULL, 
	address VARCHAR(64) NOT NULL, 
	at DATETIME NOT NULL, 
	PRIMARY KEY (id)
);
CREATE TABLE outbox (
	id INTEGER NOT NULL, 
	contact_id INTEGER, 
	address_id INTEGER, 
	channel VARCHAR(16) NOT NULL, 
	to_address VARCHAR(64) NOT NULL, 
	ephemeral BOOLEAN NOT NULL, 
	priority INTEGER NOT NULL, 
	text VARCHAR NOT NULL, 
	options JSON NOT NULL, 
	attachment_name VARCHAR(120), 
	attachment_type VARCHAR(80), 
	attachment BLOB, 
	status VARCHAR(16) NOT NULL, 
	attempts INTEGER NOT NULL, 
	next_attempt_at DATETIME NOT NULL, 
	lease_until DATETIME, 
	provider_message_id VARCHAR(80), 
	error VARCHAR(200), 
	created_at DATETIME NOT NULL, 
	sent_at DATETIME, 
	broadcast_id INTEGER, 
	not_before DATETIME, 
	PRIMARY KEY (id)
);
INSERT INTO outbox VALUES(1,1,1,'sim-sms','anna',0,0,'Hej! Det här är Jobbtorg Stockholm. Vi hjälper dig att hitta jobb, praktik eller studier. Här kan du boka en tid och ställa frågor. Det är gratis.','[]',NULL,NULL,NULL,'sent',1,'2026-12-01 17:47:08.681972',NULL,'sim-1',NULL,'2026-12-01 17:47:08.681972','2026-12-01 17:47:09.081168',NULL,NULL);
INSERT INTO outbox VALUES(2,1,1,'sim-sms','anna',0,0,replace('Vilket språk vill du använda? Which language do you want?\n\n1. Svenska\n2. English\nSvara 1 eller 2.','\n',char(10)),'[{"key": "sv", "label": "Svenska"}, {"key": "en", "label": "English"}]',NULL,NULL,NULL,'sent',1,'2026-12-01 17:47:08.681972',NULL,'sim-2',NULL,'2026-12-01 17:47:08.681972','2026-12-01 17:47:09.081168',NULL,NULL);
INSERT INTO outbox VALUES(3,1,1,'sim-sms','anna',0,0,replace('Vi sparar det du skriver här, ditt nummer och dina tider. Vi gör det för att kunna hjälpa dig. Bara Jobbtorg ser det. Du kan ta bort allt när du vill. Skriv då RADERA. Är det okej?\n\n1. Ja\n2. Nej\nSvara 1 eller 2.','\n',char(10)),'[{"key": "yes", "label": "Ja"}, {"key": "no", "label": "Nej"}]',NULL,NULL,NULL,'sent',1,'2026-12-01 17:47:11.087659',NULL,'sim-3',NULL,'2026-12-01 17:47:11.087659','2026-12-01 17:47:11.337034',NULL,NULL);
INSERT INTO outbox VALUES(4,1,1,'sim-sms','anna',0,0,replace('Hur gammal är du?\n\n1. Under 16\n2. 16-19 år\n3. 20-24 år\n4. 25-29 år\n5. 30 år eller äldre\nSvara 1, 2, 3, 4 eller 5.','\n',char(10)),'[{"key": "under-16", "label": "Under 16"}, {"key": "16-19", "label": "16-19 \u00e5r"}, {"key": "20-24", "label": "20-24 \u00e5r"}, {"key": "25-29", "label": "25-29 \u00e5r"}, {"key": "30+", "label": "30 \u00e5r eller \u00e4ldre"}]',NULL,NULL,NULL,'sent',1,'2026-12-01 17:47:13.328937',NULL,'sim-4',NULL,'2026-12-01 17:47:13.328937','2026-12-01 17:47:13.513670',NULL,NULL);
INSERT INTO outbox VALUES(5,1,1,'sim-sms','anna',0,0,replace('Var bor du? Välj din stadsdel, eller skriv namnet.\n\n1. Bromma\n2. Enskede-Årsta-Vantör\n3. Farsta\n4. Hägersten-Älvsjö\n5. Hässelby-Vällingby\n6. Kungsholmen\n7. Fler\nSvara 1, 2, 3, 4, 5, 6 eller 7.','\n',char(10)),'[{"key": "bromma", "label": "Bromma"}, {"key": "enskede-arsta-vantor", "label": "Enskede-\u00c5rsta-Vant\u00f6r"}, {"key": "farsta", "label": "Farsta"}, {"key": "hagersten-alvsjo", "label": "H\u00e4gersten-\u00c4lvsj\u00f6"}, {"key": "hasselby-vallingby", "label": "H\u00e4sselby-V\u00e4llingby"}, {"key": "kungsholmen", "label": "Kungsholmen"}, {"key": "_more", "label": "Fler"}]',NULL,NULL,NULL,'sent',1,'2026-12-01 17:47:14.956334',NULL,'sim-5',NULL,'2026-12-01 17:47:14.956334','2026-12-01 17:47:15.262520',NULL,NULL);
INSERT INTO outbox VALUES(6,1,1,'sim-sms','anna',0,0,'Ditt jobbtorg är Jobbtorg Sydost, Högdalsgången 3, Högdalen.','[]',NULL,NULL,NULL,'sent',1,'2026-12-01 17:47:16.777585',NULL,'sim-6',NULL,'2026-12-01 17:47:16.777585','2026-12-01 17:47:17.176184',NULL,NULL);
INSERT INTO outbox VALUES(7,1,1,'sim-sms','anna',0,0,replace('Är du kvinna eller man? Du behöver inte svara.\n\n1. Kvinna\n2. Man\n3. Annat\n4. Vill inte svara\nSvara 1, 2, 3 eller 4.','\n',char(10)),'[{"key": "kvinna", "label": "Kvinna"}, {"key": "man", "label": "Man"}, {"key": "annat", "label": "Annat"}, {"key": "ej-angivet", "label": "Vill inte svara"}]',NULL,NULL,NULL,'sent',1,'2026-12-01 17:47:16.777585',NULL,'sim-7',NULL,'2026-12-01 17:47:16.777585','2026-12-01 17:47:17.176184',NULL,NULL);
INSERT INTO outbox VALUES(8,1,1,'sim-sms','anna',0,0,replace('Vad vill du ha hjälp med?\n\n1. Hitta jobb\n2. CV och personligt brev\n3. Börja studera\n4. Praktik\n5. Aktivitetsrapport\n6. Annat\nSvara 1, 2, 3, 4, 5 eller 6.','\n',char(10)),'[{"key": "jobb", "label": "Hitta jobb"}, {"key": "cv", "label": "CV och personligt brev"}, {"key": "studier", "label": "B\u00f6rja studera"}, {"key": "praktik", "label": "Praktik"}, {"key": "aktivitetsrapport", "label": "Aktivitetsrapport"}, {"key": "annat", "label": "Annat"}]',NULL,NULL,NULL,'sent',1,'2026-12-01 17:47:18.754145',NULL,'sim-8',NULL,'2026-12-01 17:47:18.754145','2026-12-01 17:47:19.216822',NULL,NULL);
INSERT INTO outbox VALUES(9,1,1,'sim-sms','anna',0,0,'Tack! Nu är du klar. Här är vad du kan göra.','[]',NULL,NULL,NULL,'sent',1,'2026-12-01 17:47:20.901778',NULL,'sim-9',NULL,'2026-12-01 17:47:20.901778','2026-12-01 17:47:21.201624',NULL,NULL);
INSERT INTO outbox VALUES(10,1,1,'sim-sms','anna',0,0,replace('Vad vill du göra?\n\n1. Boka besök\n2. Mina tider\n3. Frågor\n4. Prata med en människa\n5. Mina uppgifter\nSvara 1, 2, 3, 4 eller 5.','\n',char(10)),'[{"key": "book", "label": "Boka bes\u00f6k"}, {"key": "mybookings", "label": "Mina tider"}, {"key": "faq", "label": "Fr\u00e5gor"}, {"key": "human", "label": "Prata med en m\u00e4nniska"}, {"key": "mydata", "label": "Mina uppgifter"}]',NULL,NULL,NULL,'sent',1,'2026-12-01 17:47:20.901778',NULL,'sim-10',NULL,'2026-12-01 17:47:20.901778','2026-12-01 17:47:21.201624',NULL,NULL);
INSERT INTO outbox VALUES(11,1,1,'sim-sms','anna',0,0,replace('Du bokar på Jobbtorg Sydost. Vad vill du boka?\n\n1. Första besök\n2. Informationsträff\n3. Studie- och yrkesvägledning\n4. Drop-in\n5. Ett annat jobbtorg\nSvara 1, 2, 3, 4 eller 5.','\n',char(10)),'[{"key": "forsta-besok", "label": "F\u00f6rsta bes\u00f6k"}, {"key": "informationstraff", "label": "Informationstr\u00e4ff"}, {"key": "vagledning", "label": "Studie- och yrkesv\u00e4gledning"}, {"key": "drop-in", "label": "Drop-in"}, {"key": "unit", "label": "Ett annat jobbtorg"}]',NULL,NULL,NULL,'sent',1,'2026-12-01 17:47:22.804534',NULL,'sim-11',NULL,'2026-12-01 17:47:22.804534','2026-12-01 17:47:22.941213',NULL,NULL);
INSERT INTO outbox VALUES(12,1,1,'sim-sms','anna',0,0,replace('Första besök. Vilken dag passar dig?\n\n1. onsdag 2 december\n2. torsdag 3 december\n3. fredag 4 december\n4. måndag 7 december\n5. tisdag 8 december\n6. onsdag 9 december\n7. Fler dagar\nSvara 1, 2, 3, 4, 5, 6 eller 7.','\n',char(10)),'[{"key": "2026-12-02", "label": "onsdag 2 december"}, {"key": "2026-12-03", "label": "torsdag 3 december"}, {"key": "2026-12-04", "label": "fredag 4 december"}, {"key": "2026-12-07", "label": "m\u00e5ndag 7 december"}, {"key": "2026-12-08", "label": "tisdag 8 december"}, {"key": "2026-12-09", "label": "onsdag 9 december"}, {"key": "_more", "label": "Fler dagar"}]',NULL,NULL,NULL,'sent',1,'2026-12-01 17:47:24.276790',NULL,'sim-12',NULL,'2026-12-01 17:47:24.276790','2026-12-01 17:47:24.850035',NULL,NULL);
INSERT INTO outbox VALUES(13,1,1,'sim-sms','anna',0,0,replace('Vilken tid vill du ha torsdag 3 december?\n\n1. 09.00\n2. 10.00\n3. 11.00\n4. 12.00\n5. 13.00\n6. 14.00\n7. Fler tider\nSvara 1, 2, 3, 4, 5, 6 eller 7.','\n',char(10)),'[{"key": "2026-12-03T08:00:00+00:00", "label": "09.00"}, {"key": "2026-12-03T09:00:00+00:00", "label": "10.00"}, {"key": "2026-12-03T10:00:00+00:00", "label": "11.00"}, {"key": "2026-12-03T11:00:00+00:00", "label": "12.00"}, {"key": "2026-12-03T12:00:00+00:00", "label": "13.00"}, {"key": "2026-12-03T13:00:00+00:00", "label": "14.00"}, {"key": "_more", "label": "Fler tider"}]',NULL,NULL,NULL,'sent',1,'2026-12-01 17:47:26.528764',NULL,'sim-13',NULL,'2026-12-01 17:47:26.528764','2026-12-01 17:47:27.068642',NULL,NULL);
INSERT INTO outbox VALUES(14,1,1,'sim-sms','anna',0,0,replace('Vad heter du i förnamn? Då kan coachen hälsa på dig. Du behöver inte svara.\n\n1. Hoppa över\nSvara 1.','\n',char(10)),'[{"key": "skip", "label": "Hoppa \u00f6ver"}]',NULL,NULL,NULL,'sent',1,'2026-12-01 17:47:28.573866',NULL,'sim-14',NULL,'2026-12-01 17:47:28.573866','2026-12-01 17:47:28.988969',NULL,NULL);
INSERT INTO outbox VALUES(15,1,1,'sim-sms','anna',0,0,replace('Behöver du tolk eller hjälp att ta dig in, till exempel med rullstol?\n\n1. Nej, inget\n2. Tolk\n3. Hjälp att ta mig in\n4. Båda\nSvara 1, 2, 3 eller 4.','\n',char(10)),'[{"key": "none", "label": "Nej, inget"}, {"key": "interpreter", "label": "Tolk"}, {"key": "access", "label": "Hj\u00e4lp att ta mig in"}, {"key": "both", "label": "B\u00e5da"}]',NULL,NULL,NULL,'sent',1,'2026-12-01 17:47:30.354062',NULL,'sim-15',NULL,'2026-12-01 17:47:30.354062','2026-12-01 17:47:30.588956',NULL,NULL);
INSERT INTO outbox VALUES(16,1,1,'sim-sms','anna',0,0,replace('Du vill boka: Första besök, torsdag 3 december kl. 10.00. Plats: Jobbtorg Sydost, Högdalsgången 3, Högdalen.\nNamn: Anna\nSka jag boka?\n\n1. Ja, boka\n2. Ändra\n3. Nej, avbryt\nSvara 1, 2 eller 3.','\n',char(10)),'[{"key": "yes", "label": "Ja, boka"}, {"key": "change", "label": "\u00c4ndra"}, {"key": "no", "label": "Nej, avbryt"}]',NULL,NULL,NULL,'sent',1,'2026-12-01 17:47:32.011579',NULL,'sim-16',NULL,'2026-12-01 17:47:32.011579','2026-12-01 17:47:32.289061',NULL,NULL);
INSERT INTO outbox VALUES(17,1,1,'sim-sms','anna',0,0,'Klart! Du är bokad. Första besök, torsdag 3 december kl. 10.00. Plats: Jobbtorg Sydost, Högdalsgången 3, Högdalen. Din kod: RY3AKX. Visa koden när du kommer.','[]',NULL,NULL,NULL,'sent',1,'2026-12-01 17:47:34.052464',NULL,'sim-17',NULL,'2026-12-01 17:47:34.052464','2026-12-01 17:47:34.096915',NULL,NULL);
INSERT INTO outbox VALUES(18,1,1,'sim-sms','anna',0,0,'Ta med legitimation om du har. Ta gärna med CV och betyg. Vill du avboka eller boka om? Skriv MENY och välj Mina tider.','[]',NULL,NULL,NULL,'sent',1,'2026-12-01 17:47:34.052464',NULL,'sim-18',NULL,'2026-12-01 17:47:34.052464','2026-12-01 17:47:34.096915',NULL,NULL);
INSERT INTO outbox VALUES(19,1,1,'sim-sms','anna',0,0,replace('Vad vill du göra?\n\n1. Boka besök\n2. Mina tider\n3. Frågor\n4. Prata med en människa\n5. Mina uppgifter\nSvara 1, 2, 3, 4 eller 5.','\n',char(10)),'[{"key": "book", "label": "Boka bes\u00f6k"}, {"key": "mybookings", "label": "Mina tider"}, {"key": "faq", "label": "Fr\u00e5gor"}, {"key": "human", "label": "Prata med en m\u00e4nniska"}, {"key": "mydata", "label": "Mina uppgifter"}]',NULL,NULL,NULL,'sent',1,'2026-12-01 17:47:34.052464',NULL,'sim-19',NULL,'2026-12-01 17:47:34.052464','2026-12-01 17:47:34.096915',NULL,NULL);
INSERT INTO outbox VALUES(20,2,2,'sim-telegram','bo',0,0,'Hej! Det här är Jobbtorg Stockholm. Vi hjälper dig att hitta jobb, praktik eller studier. Här kan du boka en tid och ställa frågor. Det är gratis.','[]',NULL,NULL,NULL,'sent',1,'2026-12-01 17:47:34.834715',NULL,'sim-20',NULL,'2026-12-01 17:47:34.834715','2026-12-01 17:47:34.867624',NULL,NULL);
INSERT INTO outbox VALUES(21,2,2,'sim-telegram','bo',0,0,'Vilket språk vill du använda? Which language do you want?','[{"key": "sv", "label": "Svenska"}, {"key": "en", "label": "English"}]',NULL,NULL,NULL,'sent',1,'2026-12-01 17:47:34.834715',NULL,'sim-21',NULL,'2026-12-01 17:47:34.834715','2026-12-01 17:47:34.867624',NULL,NULL);
INSERT INTO outbox VALUES(22,2,2,'sim-telegram','bo',0,0,'We save what you write here, your number and your bookings. We do it so we can help you. Only Jobbtorg sees it. You can remove it all at any time. Write DELETE. Is that okay?','[{"key": "yes", "label": "Yes"}, {"key": "no", "label": "No"}]',NULL,NULL,NULL,'sent',1,'2026-12-01 17:47:35.749418',NULL,'sim-22',NULL,'2026-12-01 17:47:35.749418','2026-12-01 17:47:36.048316',NULL,NULL);
INSERT INTO outbox VALUES(23,2,2,'sim-telegram','bo',0,0,'How old are you?','[{"key": "under-16", "label": "Under 16"}, {"key": "16-19", "label": "16-19 years"}, {"key": "20-24", "label": "20-24 years"}, {"key": "25-29", "label": "25-29 years"}, {"key": "30+", "label": "30 or older"}]',NULL,NULL,NULL,'sent',1,'2026-12-01 17:47:36.849463',NULL,'sim-23',NULL,'2026-12-01 17:47:36.849463','2026-12-01 17:47:37.020655',NULL,NULL);
INSERT INTO outbox VALUES(24,1,1,'sim-sms','anna',0,0,replace('Vad vill du göra?\n\n1. Boka besök\n2. Mina tider\n3. Frågor\n4. Prata med en människa\n5. Mina uppgifter\nSvara 1, 2, 3, 4 eller 5.','\n',char(10)),'[{"key": "book", "label": "Boka bes\u00f6k"}, {"key": "mybookings", "label": "Mina tider"}, {"key": "faq", "label": "Fr\u00e5gor"}, {"key": "human", "label": "Prata med en m\u00e4nniska"}, {"key": "mydata", "label": "Mina uppgifter"}]',NULL,NULL,NULL,'sent',1,'2026-12-01 17:47:39.506361',NULL,'sim-24',NULL,'2026-12-01 17:47:39.506361','2026-12-01 17:47:39.527171',NULL,NULL);
INSERT INTO outbox VALUES(25,1,1,'sim-sms','anna',0,0,replace('Vill du att en coach hör av sig till dig här?\n\n1. Ja\n2. Nej\nSvara 1 eller 2.','\n',char(10)),'[{"key": "yes", "label": "Ja"}, {"key": "no", "label": "Nej"}]',NULL,NULL,NULL,'sent',1,'2026-12-01 17:47:40.237033',NULL,'sim-25',NULL,'2026-12-01 17:47:40.237033','2026-12-01 17:47:40.271288',NULL,NULL);
INSERT INTO outbox VALUES(26,1,1,'sim-sms','anna',0,0,'Påminnelse: Första besök, torsdag 3 december kl. 10.00. Plats: Jobbtorg Sydost, Högdalsgången 3, Högdalen. Din kod: RY3AKX. Kan du inte komma? Skriv MENY och välj Mina tider.','[]',NULL,NULL,NULL,'sent',1,'2026-12-02 09:00:00.000000',NULL,'sim-26',NULL,'2026-12-02 09:00:00.000000','2026-12-02 09:00:00.617914',NULL,NULL);
INSERT INTO outbox VALUES(27,1,1,'sim-sms','anna',0,0,'Tack! En coach svarar dig här inom 2 arbetsdagar.','[]',NULL,NULL,NULL,'sent',1,'2026-12-02 17:47:42.429130',NULL,'sim-27',NULL,'2026-12-02 17:47:42.429130','2026-12-02 17:47:42.466915',NULL,NULL);
INSERT INTO outbox VALUES(28,1,1,'sim-sms','anna',0,0,replace('Vad vill du göra?\n\n1. Boka besök\n2. Mina tider\n3. Frågor\n4. Prata med en människa\n5. Mina uppgifter\nSvara 1, 2, 3, 4 eller 5.','\n',char(10)),'[{"key": "book", "label": "Boka bes\u00f6k"}, {"key": "mybookings", "label": "Mina tider"}, {"key": "faq", "label": "Fr\u00e5gor"}, {"key": "human", "label": "Prata med en m\u00e4nniska"}, {"key": "mydata", "label": "Mina uppgifter"}]',NULL,NULL,NULL,'sent',1,'2026-12-02 17:47:42.429130',NULL,'sim-28',NULL,'2026-12-02 17:47:42.429130','2026-12-02 17:47:42.466915',NULL,NULL);
CREATE TABLE setting (
	"key" VARCHAR(64) NOT NULL, 
	value VARCHAR(200) NOT NULL, 
	PRIMARY KEY ("key")
);
INSERT INTO setting VALUES('demo_clock_offset_seconds','86399.097927');
CREATE TABLE unit (
	id INTEGER NOT NULL, 
	slug VARCHAR(64) NOT NULL, 
	name VARCHAR(120) NOT NULL, 
	site VARCHAR(120) NOT NULL, 
	address VARCHAR(240) NOT NULL, 
	phone VARCHAR(40) NOT NULL, 
	PRIMARY KEY (id), 
	UNIQUE (slug)
);
INSERT INTO unit VALUES(1,'jarva','Jobbtorg Järva','Kista','Kistagången 12, Kista','08-508 000 00');
INSERT INTO unit VALUES(2,'vasterort','Jobbtorg Västerort','Vällingby','Vällingbyplan 2, Vällingby','08-508 000 00');
INSERT INTO unit VALUES(3,'innerstaden','Jobbtorg Innerstaden','Kungsholmen','Fleminggatan 4, Kungsholmen','08-508 000 00');
INSERT INTO unit VALUES(4,'sydvast','Jobbtorg Sydväst','Skärholmen','Skärholmsvägen 9, Skärholmen','08-508 000 00');
INSERT INTO unit VALUES(5,'sydost','Jobbtorg Sydost','Vantör','Högdalsgången 3, Högdalen','08-508 000 00');
CREATE TABLE closure (
	id INTEGER NOT NULL, 
	unit_id INTEGER NOT NULL, 
	day DATE NOT NULL, 
	reason VARCHAR(120) NOT NULL, 
	PRIMARY KEY (id), 
	FOREIGN KEY(unit_id) REFERENCES unit (id), 
	CONSTRAINT uq_closure_unit_day UNIQUE (unit_id, day)
);
CREATE TABLE deliveryattempt (
	id INTEGER NOT NULL, 
	outbox_id INTEGER NOT NULL, 
	at DATETIME NOT NULL, 
	outcome VARCHAR(24) NOT NULL, 
	detail VARCHAR(200), 
	PRIMARY KEY (id), 
	FOREIGN KEY(outbox_id) REFERENCES outbox (id) ON DELETE CASCADE
);
INSERT INTO deliveryattempt VALUES(1,1,'2026-12-01 17:47:09.081168','sent',NULL);
INSERT INTO deliveryattempt VALUES(2,2,'2026-12-01 17:47:09.081168','sent',NULL);
INSERT INTO deliveryattempt VALUES(3,3,'2026-12-01 17:47:11.337034','sent',NULL);
INSERT INTO deliveryattempt VALUES(4,4,'2026-12-01 17:47:13.513670','sent',NULL);
INSERT INTO deliveryattempt VALUES(5,5,'2026-12-01 17:47:15.262520','sent',NULL);
INSERT INTO deliveryattempt VALUES(6,6,'2026-12-01 17:47:17.176184','sent',NULL);
INSERT INTO deliveryattempt VALUES(7,7,'2026-12-01 17:47:17.176184','sent',NULL);
INSERT INTO deliveryattempt VALUES(8,8,'2026-12-01 17:47:19.216822','sent',NULL);
INSERT INTO deliveryattempt VALUES(9,9,'2026-12-01 17:47:21.201624','sent',NULL);
INSERT INTO deliveryattempt VALUES(10,10,'2026-12-01 17:47:21.201624','sent',NULL);
INSERT INTO deliveryattempt VALUES(11,11,'2026-12-01 17:47:22.941213','sent',NULL);
INSERT INTO deliveryattempt VALUES(12,12,'2026-12-01 17:47:24.850035','sent',NULL);
INSERT INTO deliveryattempt VALUES(13,13,'2026-12-01 17:47:27.068642','sent',NULL);
INSERT INTO deliveryattempt VALUES(14,14,'2026-12-01 17:47:28.988969','sent',NULL);
INSERT INTO deliveryattempt VALUES(15,15,'2026-12-01 17:47:30.588956','sent',NULL);
INSERT INTO deliveryattempt VALUES(16,16,'2026-12-01 17:47:32.289061','sent',NULL);
INSERT INTO deliveryattempt VALUES(17,17,'2026-12-01 17:47:34.096915','sent',NULL);
INSERT INTO deliveryattempt VALUES(18,18,'2026-12-01 17:47:34.096915','sent',NULL);
INSERT INTO deliveryattempt VALUES(19,19,'2026-12-01 17:47:34.096915','sent',NULL);
INSERT INTO deliveryattempt VALUES(20,20,'2026-12-01 17:47:34.867624','sent',NULL);
INSERT INTO deliveryattempt VALUES(21,21,'2026-12-01 17:47:34.867624','sent',NULL);
INSERT INTO deliveryattempt VALUES(22,22,'2026-12-01 17:47:36.048316','sent',NULL);
INSERT INTO deliveryattempt VALUES(23,23,'2026-12-01 17:47:37.020655','sent',NULL);
INSERT INTO deliveryattempt VALUES(24,24,'2026-12-01 17:47:39.527171','sent',NULL);
INSERT INTO deliveryattempt VALUES(25,25,'2026-12-01 17:47:40.271288','sent',NULL);
INSERT INTO deliveryattempt VALUES(26,26,'2026-12-02 09:00:00.617914','sent',NULL);
INSERT INTO deliveryattempt VALUES(27,27,'2026-12-02 17:47:42.466915','sent',NULL);
INSERT INTO deliveryattempt VALUES(28,28,'2026-12-02 17:47:42.466915','sent',NULL);
CREATE TABLE district (
	id INTEGER NOT NULL, 
	slug VARCHAR(64) NOT NULL, 
	name VARCHAR(120) NOT NULL, 
	unit_id INTEGER NOT NULL, 
	PRIMARY KEY (id), 
	FOREIGN KEY(unit_id) REFERENCES unit (id), 
	UNIQUE (slug)
);
INSERT INTO district VALUES(1,'rinkeby-kista','Rinkeby-Kista',1);
INSERT INTO district VALUES(2,'spanga-tensta','Spånga-Tensta',1);
INSERT INTO district VALUES(3,'hasselby-vallingby','Hässelby-Vällingby',2);
INSERT INTO district VALUES(4,'bromma','Bromma',2);
INSERT INTO district VALUES(5,'kungsholmen','Kungsholmen',3);
INSERT INTO district VALUES(6,'norrmalm','Norrmalm',3);
INSERT INTO district VALUES(7,'ostermalm','Östermalm',3);
INSERT INTO district VALUES(8,'sodermalm','Södermalm',3);
INSERT INTO district VALUES(9,'skarholmen','Skärholmen',4);
INSERT INTO district VALUES(10,'hagersten-alvsjo','Hägersten-Älvsjö',4);
INSERT INTO district VALUES(11,'enskede-arsta-vantor','Enskede-Årsta-Vantör',5);
INSERT INTO district VALUES(12,'farsta','Farsta',5);
INSERT INTO district VALUES(13,'skarpnack','Skarpnäck',5);
CREATE TABLE event (
	id INTEGER NOT NULL, 
	kind VARCHAR(24) NOT NULL, 
	title VARCHAR(120) NOT NULL, 
	starts_at DATETIME NOT NULL, 
	place VARCHAR(240) NOT NULL, 
	unit_id INTEGER, 
	seats INTEGER NOT NULL, 
	taken INTEGER NOT NULL, 
	status VARCHAR(16) NOT NULL, 
	created_at DATETIME NOT NULL, 
	PRIMARY KEY (id), 
	FOREIGN KEY(unit_id) REFERENCES unit (id)
);
INSERT INTO event VALUES(1,'rekryteringstraff','Rekryteringsträff: lager och logistik','2026-12-11 09:00:00.000000','Kistagången 12, Kista',1,20,0,'open','2026-12-01 17:47:00.099361');
CREATE TABLE opening_hours (
	id INTEGER NOT NULL, 
	unit_id INTEGER NOT NULL, 
	weekday INTEGER NOT NULL, 
	opens VARCHAR(5) NOT NULL, 
	closes VARCHAR(5) NOT NULL, 
	PRIMARY KEY (id), 
	FOREIGN KEY(unit_id) REFERENCES unit (id)
);
INSERT INTO opening_hours VALUES(1,1,0,'09:00','16:00');
INSERT INTO opening_hours VALUES(2,1,1,'09:00','16:00');
INSERT INTO opening_hours VALUES(3,1,2,'09:00','16:00');
INSERT INTO opening_hours VALUES(4,1,3,'09:00','16:00');
INSERT INTO opening_hours VALUES(5,1,4,'09:00','16:00');
INSERT INTO opening_hours VALUES(6,2,0,'09:00','16:00');
INSERT INTO opening_hours VALUES(7,2,1,'09:00','16:00');
INSERT INTO opening_hours VALUES(8,2,2,'09:00','16:00');
INSERT INTO opening_hours VALUES(9,2,3,'09:00','16:00');
INSERT INTO opening_hours VALUES(10,2,4,'09:00','16:00');
INSERT INTO opening_hours VALUES(11,3,0,'09:00','16:00');
INSERT INTO opening_hours VALUES(12,3,1,'09:00','16:00');
INSERT INTO opening_hours VALUES(13,3,2,'09:00','16:00');
INSERT INTO opening_hours VALUES(14,3,3,'09:00','16:00');
INSERT INTO opening_hours VALUES(15,3,4,'09:00','16:00');
INSERT INTO opening_hours VALUES(16,4,0,'09:00','16:00');
INSERT INTO opening_hours VALUES(17,4,1,'09:00','16:00');
INSERT INTO opening_hours VALUES(18,4,2,'09:00','16:00');
INSERT INTO opening_hours VALUES(19,4,3,'09:00','16:00');
INSERT INTO opening_hours VALUES(20,4,4,'09:00','16:00');
INSERT INTO opening_hours VALUES(21,5,0,'09:00','16:00');
INSERT INTO opening_hours VALUES(22,5,1,'09:00','16:00');
INSERT INTO opening_hours VALUES(23,5,2,'09:00','16:00');
INSERT INTO opening_hours VALUES(24,5,3,'09:00','16:00');
INSERT INTO opening_hours VALUES(25,5,4,'09:00','16:00');
CREATE TABLE staffuser (
	id INTEGER NOT NULL, 
	username VARCHAR(64) NOT NULL, 
	password_hash VARCHAR(200) NOT NULL, 
	role VARCHAR(16) NOT NULL, 
	unit_id INTEGER, 
	telegram_user_id BIGINT, 
	chat_state JSON NOT NULL, 
	active BOOLEAN NOT NULL, 
	created_at DATETIME NOT NULL, 
	PRIMARY KEY (id), 
	FOREIGN KEY(unit_id) REFERENCES unit (id), 
	UNIQUE (telegram_user_id), 
	UNIQUE (username)
);
INSERT INTO staffuser VALUES(1,'admin','$argon2id$v=19$m=65536,t=3,p=4$DDDvPRrDyskUdc1P4l/Olg$huNs1yAhQKDQc/xBMNExG3t3A2Udi5wPC/MoTBJshb8','admin',NULL,NULL,'{}',1,'2026-12-01 17:47:00.099361');
INSERT INTO staffuser VALUES(2,'coach','$argon2id$v=19$m=65536,t=3,p=4$OADjSBIm0eobCkm143QGNg$Hy9ouGxY+iShLE02YRXqO72YvanG1s5swONdgEAbnMU','coach',1,NULL,'{}',1,'2026-12-01 17:47:00.099361');
INSERT INTO staffuser VALUES(3,'outreach','$argon2id$v=19$m=65536,t=3,p=4$YqKHIh+CRAIs9F3Pj9bLPw$UqZ6OHNrI8c846NU90sLHvb4NGSESSYk1YH8HYuYd0w','outreach',NULL,NULL,'{}',1,'2026-12-01 17:47:00.099361');
INSERT INTO staffuser VALUES(4,'analyst','$argon2id$v=19$m=65536,t=3,p=4$M5DNskrOZOpY895MYlYYvw$a7+Pyprlo9snDxsy26tMt91UUo93oVkusnbyxUB2M1A','analyst',NULL,NULL,'{}',1,'2026-12-01 17:47:00.099361');
CREATE TABLE visit_kind (
	id INTEGER NOT NULL, 
	unit_id INTEGER NOT NULL, 
	slug VARCHAR(40) NOT NULL, 
	name VARCHAR(80) NOT NULL, 
	duration_minutes INTEGER NOT NULL, 
	step_minutes INTEGER NOT NULL, 
	seats INTEGER NOT NULL, 
	min_notice_minutes INTEGER NOT NULL, 
	horizon_days INTEGER NOT NULL, 
	drop_in BOOLEAN NOT NULL, 
	hours JSON NOT NULL, 
	position INTEGER NOT NULL, 
	active BOOLEAN NOT NULL, 
	PRIMARY KEY (id), 
	FOREIGN KEY(unit_id) REFERENCES unit (id), 
	CONSTRAINT uq_visit_kind_unit_slug UNIQUE (unit_id, slug)
);
INSERT INTO visit_kind VALUES(1,1,'forsta-besok','Första besök',45,60,1,120,28,0,'{}',0,1);
INSERT INTO visit_kind VALUES(2,1,'informationstraff','Informationsträff',60,60,12,120,28,0,'{"0": [["10:00", "11:00"]], "2": [["14:00", "15:00"]]}',1,1);
INSERT INTO visit_kind VALUES(3,1,'vagledning','Studie- och yrkesvägledning',45,60,1,120,28,0,'{}',2,1);
INSERT INTO visit_kind VALUES(4,1,'drop-in','Drop-in',120,120,30,120,28,1,'{"1": [["13:00", "15:00"]], "3": [["13:00", "15:00"]]}',3,1);
INSERT INTO visit_kind VALUES(5,2,'forsta-besok','Första besök',45,60,1,120,28,0,'{}',0,1);
INSERT INTO visit_kind VALUES(6,2,'informationstraff','Informationsträff',60,60,12,120,28,0,'{"0": [["10:00", "11:00"]], "2": [["14:00", "15:00"]]}',1,1);
INSERT INTO visit_kind VALUES(7,2,'vagledning','Studie- och yrkesvägledning',45,60,1,120,28,0,'{}',2,1);
INSERT INTO visit_kind VALUES(8,2,'drop-in','Drop-in',120,120,30,120,28,1,'{"1": [["13:00", "15:00"]], "3": [["13:00", "15:00"]]}',3,1);
INSERT INTO visit_kind VALUES(9,3,'forsta-besok','Första besök',45,60,1,120,28,0,'{}',0,1);
INSERT INTO visit_kind VALUES(10,3,'informationstraff','Informationsträff',60,60,12,120,28,0,'{"0": [["10:00", "11:00"]], "2": [["14:00", "15:00"]]}',1,1);
INSERT INTO visit_kind VALUES(11,3,'vagledning','Studie- och yrkesvägledning',45,60,1,120,28,0,'{}',2,1);
INSERT INTO visit_kind VALUES(12,3,'drop-in','Drop-in',120,120,30,120,28,1,'{"1": [["13:00", "15:00"]], "3": [["13:00", "15:00"]]}',3,1);
INSERT INTO visit_kind VALUES(13,4,'forsta-besok','Första besök',45,60,1,120,28,0,'{}',0,1);
INSERT INTO visit_kind VALUES(14,4,'informationstraff','Informationsträff',60,60,12,120,28,0,'{"0": [["10:00", "11:00"]], "2": [["14:00", "15:00"]]}',1,1);
INSERT INTO visit_kind VALUES(15,4,'vagledning','Studie- och yrkesvägledning',45,60,1,120,28,0,'{}',2,1);
INSERT INTO visit_kind VALUES(16,4,'drop-in','Drop-in',120,120,30,120,28,1,'{"1": [["13:00", "15:00"]], "3": [["13:00", "15:00"]]}',3,1);
INSERT INTO visit_kind VALUES(17,5,'forsta-besok','Första besök',45,60,1,120,28,0,'{}',0,1);
INSERT INTO visit_kind VALUES(18,5,'informationstraff','Informationsträff',60,60,12,120,28,0,'{"0": [["10:00", "11:00"]], "2": [["14:00", "15:00"]]}',1,1);
INSERT INTO visit_kind VALUES(19,5,'vagledning','Studie- och yrkesvägledning',45,60,1,120,28,0,'{}',2,1);
INSERT INTO visit_kind VALUES(20,5,'drop-in','Drop-in',120,120,30,120,28,1,'{"1": [["13:00", "15:00"]], "3": [["13:00", "15:00"]]}',3,1);
CREATE TABLE broadcast (
	id INTEGER NOT NULL, 
	name VARCHAR(120) NOT NULL, 
	texts JSON NOT NULL, 
	segment JSON NOT NULL, 
	event_id INTEGER, 
	status VARCHAR(20) NOT NULL, 
	created_by VARCHAR(80) NOT NULL, 
	created_at DATETIME NOT NULL, 
	scheduled_at DATETIME, 
	estimate_sek FLOAT NOT NULL, 
	approved_by VARCHAR(80), 
	approved_at DATETIME, 
	started_at DATETIME, 
	finished_at DATETIME, 
	cancelled_at DATETIME, 
	cursor INTEGER NOT NULL, 
	recipients INTEGER NOT NULL, 
	PRIMARY KEY (id), 
	FOREIGN KEY(event_id) REFERENCES event (id)
);
CREATE TABLE contact (
	id INTEGER NOT NULL, 
	created_at DATETIME NOT NULL, 
	last_active_at DATETIME, 
	status VARCHAR(16) NOT NULL, 
	language VARCHAR(8) NOT NULL, 
	age_band VARCHAR(8), 
	gender VARCHAR(16), 
	district_id INTEGER, 
	unit_id INTEGER, 
	help_topic VARCHAR(32), 
	first_name VARCHAR(60), 
	source_id INTEGER, 
	consented_at DATETIME, 
	notice_version VARCHAR(16), 
	enrolled_at DATETIME, 
	erased_at DATETIME, 
	PRIMARY KEY (id), 
	FOREIGN KEY(district_id) REFERENCES district (id), 
	FOREIGN KEY(unit_id) REFERENCES unit (id)
);
INSERT INTO contact VALUES(1,'2026-12-01 17:47:08.681972','2026-12-02 17:47:42.429130','active','sv','20-24','kvinna',12,5,'jobb','Anna',NULL,'2026-12-01 17:47:13.328937','2026-11',NULL,NULL);
INSERT INTO contact VALUES(2,'2026-12-01 17:47:34.834715','2026-12-01 17:47:34.834715','active','en',NULL,NULL,NULL,NULL,NULL,NULL,NULL,'2026-12-01 17:47:36.849463','2026-11',NULL,NULL);
CREATE TABLE outreach_source (
	id INTEGER NOT NULL, 
	kind VARCHAR(24) NOT NULL, 
	name VARCHAR(120) NOT NULL, 
	district_id INTEGER, 
	payload VARCHAR(64) NOT NULL, 
	keyword VARCHAR(20) NOT NULL, 
	active BOOLEAN NOT NULL, 
	created_at DATETIME NOT NULL, 
	PRIMARY KEY (id), 
	FOREIGN KEY(district_id) REFERENCES district (id), 
	UNIQUE (keyword), 
	UNIQUE (payload)
);
INSERT INTO outreach_source VALUES(1,'sfi-skola','Sfi Tensta',2,'sfi-tensta','TENSTA',1,'2026-12-01 17:47:00.099361');
INSERT INTO outreach_source VALUES(2,'oppen-forskola','Öppna förskolan Rinkeby',1,'oppna-forskolan-rinkeby','RINKEBY',1,'2026-12-01 17:47:00.099361');
INSERT INTO outreach_source VALUES(3,'bibliotek','Husby bibliotek',1,'husby-bibliotek','HUSBY',1,'2026-12-01 17:47:00.099361');
INSERT INTO outreach_source VALUES(4,'fritidsgard','Fritidsgården Skärholmen',9,'fritidsgarden-skarholmen','SKARHOLMEN',1,'2026-12-01 17:47:00.099361');
INSERT INTO outreach_source VALUES(5,'instagram','Instagram @jobbtorgstockholm',NULL,'instagram','INSTA',1,'2026-12-01 17:47:00.099361');
CREATE TABLE slot (
	id INTEGER NOT NULL, 
	kind_id INTEGER NOT NULL, 
	unit_id INTEGER NOT NULL, 
	start DATETIME NOT NULL, 
	seats INTEGER NOT NULL, 
	taken INTEGER NOT NULL, 
	PRIMARY KEY (id), 
	FOREIGN KEY(kind_id) REFERENCES visit_kind (id), 
	FOREIGN KEY(unit_id) REFERENCES unit (id), 
	CONSTRAINT uq_slot_kind_start UNIQUE (kind_id, start)
);
INSERT INTO slot VALUES(1,17,5,'2026-12-03 09:00:00.000000',1,1);
CREATE TABLE staffsession (
	id INTEGER NOT NULL, 
	token_hash VARCHAR(64) NOT NULL, 
	staff_id INTEGER NOT NULL, 
	csrf_token VARCHAR(64) NOT NULL, 
	language VARCHAR(8) NOT NULL, 
	created_at DATETIME NOT NULL, 
	last_seen_at DATETIME NOT NULL, 
	expires_at DATETIME NOT NULL, 
	PRIMARY KEY (id), 
	FOREIGN KEY(staff_id) REFERENCES staffuser (id) ON DELETE CASCADE, 
	UNIQUE (token_hash)
);
CREATE TABLE avslut (
	id INTEGER NOT NULL, 
	contact_id INTEGER NOT NULL, 
	unit_id INTEGER, 
	ended_on DATE NOT NULL, 
	reason VARCHAR(24) NOT NULL, 
	recorded_by VARCHAR(80) NOT NULL, 
	recorded_at DATETIME NOT NULL, 
	PRIMARY KEY (id), 
	FOREIGN KEY(contact_id) REFERENCES contact (id), 
	FOREIGN KEY(unit_id) REFERENCES unit (id), 
	CONSTRAINT uq_avslut_contact_day UNIQUE (contact_id, ended_on)
);
CREATE TABLE booking (
	id INTEGER NOT NULL, 
	code VARCHAR(12) NOT NULL, 
	contact_id INTEGER NOT NULL, 
	unit_id INTEGER NOT NULL, 
	kind_id INTEGER NOT NULL, 
	slot_id INTEGER, 
	start DATETIME NOT NULL, 
	"end" DATETIME NOT NULL, 
	seats INTEGER NOT NULL, 
	first_name VARCHAR(60), 
	interpreter_language VARCHAR(40), 
	accessibility BOOLEAN NOT NULL, 
	status VARCHAR(16) NOT NULL, 
	booked_by VARCHAR(80) NOT NULL, 
	created_at DATETIME NOT NULL, 
	cancelled_at DATETIME, 
	marked_at DATETIME, 
	marked_by VARCHAR(80), 
	PRIMARY KEY (id), 
	FOREIGN KEY(contact_id) REFERENCES contact (id), 
	FOREIGN KEY(kind_id) REFERENCES visit_kind (id), 
	FOREIGN KEY(slot_id) REFERENCES slot (id), 
	FOREIGN KEY(unit_id) REFERENCES unit (id), 
	UNIQUE (code)
);
INSERT INTO booking VALUES(1,'RY3AKX',1,5,17,1,'2026-12-03 09:00:00.000000','2026-12-03 09:45:00.000000',1,'Anna',NULL,0,'booked','self','2026-12-01 17:47:34.052464',NULL,NULL,NULL);
CREATE TABLE channeladdress (
	id INTEGER NOT NULL, 
	contact_id INTEGER NOT NULL, 
	channel VARCHAR(16) NOT NULL, 
	address VARCHAR(64) NOT NULL, 
	opted_out BOOLEAN NOT NULL, 
	unreachable BOOLEAN NOT NULL, 
	created_at DATETIME NOT NULL, 
	PRIMARY KEY (id), 
	FOREIGN KEY(contact_id) REFERENCES contact (id), 
	CONSTRAINT uq_address_channel UNIQUE (channel, address)
);
INSERT INTO channeladdress VALUES(1,1,'sim-sms','anna',0,0,'2026-12-01 17:47:08.681972');
INSERT INTO channeladdress VALUES(2,2,'sim-telegram','bo',0,0,'2026-12-01 17:47:34.834715');
CREATE TABLE consent (
	id INTEGER NOT NULL, 
	contact_id INTEGER NOT NULL, 
	given_at DATETIME NOT NULL, 
	notice_version VARCHAR(16) NOT NULL, 
	withdrawn_at DATETIME, 
	PRIMARY KEY (id), 
	FOREIGN KEY(contact_id) REFERENCES contact (id)
);
INSERT INTO consent VALUES(1,1,'2026-12-01 17:47:13.328937','2026-11',NULL);
INSERT INTO consent VALUES(2,2,'2026-12-01 17:47:36.849463','2026-11',NULL);
CREATE TABLE conversationstate (
	contact_id INTEGER NOT NULL, 
	flow VARCHAR(32) NOT NULL, 
	step VARCHAR(48) NOT NULL, 
	data JSON NOT NULL, 
	options JSON NOT NULL, 
	reasks INTEGER NOT NULL, 
	version INTEGER NOT NULL, 
	updated_at DATETIME NOT NULL, 
	open_until DATETIME, 
	PRIMARY KEY (contact_id), 
	FOREIGN KEY(contact_id) REFERENCES contact (id)
);
INSERT INTO conversationstate VALUES(1,'menu','start','{}','[{"key": "book", "label": "Boka bes\u00f6k"}, {"key": "mybookings", "label": "Mina tider"}, {"key": "faq", "label": "Fr\u00e5gor"}, {"key": "human", "label": "Prata med en m\u00e4nniska"}, {"key": "mydata", "label": "Mina uppgifter"}]',0,18,'2026-12-02 17:47:42.429130',NULL);
INSERT INTO conversationstate VALUES(2,'onboarding','age','{}','[{"key": "under-16", "label": "Under 16"}, {"key": "16-19", "label": "16-19 years"}, {"key": "20-24", "label": "20-24 years"}, {"key": "25-29", "label": "25-29 years"}, {"key": "30+", "label": "30 or older"}]',0,3,'2026-12-01 17:47:36.849463',NULL);
CREATE TABLE handoffrequest (
	id INTEGER NOT NULL, 
	contact_id INTEGER NOT NULL, 
	unit_id INTEGER, 
	created_at DATETIME NOT NULL, 
	status VARCHAR(16) NOT NULL, 
	closed_at DATETIME, 
	PRIMARY KEY (id), 
	FOREIGN KEY(contact_id) REFERENCES contact (id)
);
INSERT INTO handoffrequest VALUES(1,1,5,'2026-12-02 17:47:42.429130','open',NULL);
CREATE TABLE rsvp (
	id INTEGER NOT NULL, 
	event_id INTEGER NOT NULL, 
	contact_id INTEGER NOT NULL, 
	status VARCHAR(16) NOT NULL, 
	broadcast_id INTEGER, 
	created_at DATETIME NOT NULL, 
	answered_at DATETIME, 
	waiting_since DATETIME, 
	PRIMARY KEY (id), 
	FOREIGN KEY(contact_id) REFERENCES contact (id) ON DELETE CASCADE, 
	FOREIGN KEY(event_id) REFERENCES event (id), 
	CONSTRAINT uq_rsvp_person UNIQUE (event_id, contact_id)
);
CREATE TABLE target_group (
	id INTEGER NOT NULL, 
	contact_id INTEGER NOT NULL, 
	target_group VARCHAR(40) NOT NULL, 
	recorded_by VARCHAR(80) NOT NULL, 
	recorded_at DATETIME NOT NULL, 
	PRIMARY KEY (id), 
	FOREIGN KEY(contact_id) REFERENCES contact (id), 
	CONSTRAINT uq_target_group UNIQUE (contact_id, target_group)
);
CREATE TABLE staff_outcome (
	id INTEGER NOT NULL, 
	avslut_id INTEGER NOT NULL, 
	contact_id INTEGER NOT NULL, 
	category VARCHAR(16) NOT NULL, 
	extent VARCHAR(16), 
	employment VARCHAR(24), 
	school VARCHAR(24), 
	recorded_by VARCHAR(80) NOT NULL, 
	recorded_at DATETIME NOT NULL, 
	PRIMARY KEY (id), 
	FOREIGN KEY(avslut_id) REFERENCES avslut (id), 
	FOREIGN KEY(contact_id) REFERENCES contact (id), 
	UNIQUE (avslut_id)
);
CREATE TABLE survey_run (
	id INTEGER NOT NULL, 
	avslut_id INTEGER NOT NULL, 
	contact_id INTEGER NOT NULL, 
	status VARCHAR(16) NOT NULL, 
	due_at DATETIME NOT NULL, 
	sent_at DATETIME, 
	reminded_at DATETIME, 
	answered_at DATETIME, 
	completed_at DATETIME, 
	closed_at DATETIME, 
	channel VARCHAR(16), 
	category VARCHAR(16), 
	extent VARCHAR(16), 
	employment VARCHAR(24), 
	school VARCHAR(24), 
	free_text VARCHAR(1000), 
	classified_by VARCHAR(80), 
	classified_at DATETIME, 
	better_chances VARCHAR(8), 
	comment VARCHAR(1000), 
	PRIMARY KEY (id), 
	FOREIGN KEY(avslut_id) REFERENCES avslut (id), 
	FOREIGN KEY(contact_id) REFERENCES contact (id), 
	UNIQUE (avslut_id)
);
CREATE INDEX ix_anonymous_outcome_ended_on ON anonymous_outcome (ended_on);
CREATE INDEX ix_auditlog_at ON auditlog (at);
CREATE INDEX ix_auditlog_contact_id ON auditlog (contact_id);
CREATE INDEX ix_inboundmessage_contact_id ON inboundmessage (contact_id);
CREATE INDEX ix_job_contact_id ON job (contact_id);
CREATE INDEX ix_job_due ON job (status, due_at);
CREATE INDEX ix_loginfailure_at ON loginfailure (at);
CREATE INDEX ix_loginfailure_username ON loginfailure (username);
CREATE INDEX ix_outbox_address_id ON outbox (address_id);
CREATE INDEX ix_outbox_broadcast_id ON outbox (broadcast_id);
CREATE INDEX ix_outbox_contact_id ON outbox (contact_id);
CREATE INDEX ix_outbox_provider_message_id ON outbox (provider_message_id);
CREATE INDEX ix_outbox_ready ON outbox (status, priority, next_attempt_at);
CREATE INDEX ix_closure_unit_id ON closure (unit_id);
CREATE INDEX ix_deliveryattempt_outbox_id ON deliveryattempt (outbox_id);
CREATE INDEX ix_district_unit_id ON district (unit_id);
CREATE INDEX ix_event_starts_at ON event (starts_at);
CREATE INDEX ix_opening_hours_unit_id ON opening_hours (unit_id);
CREATE INDEX ix_visit_kind_unit_id ON visit_kind (unit_id);
CREATE INDEX ix_contact_last_active_at ON contact (last_active_at);
CREATE INDEX ix_contact_source_id ON contact (source_id);
CREATE INDEX ix_contact_unit_id ON contact (unit_id);
CREATE INDEX ix_outreach_source_district_id ON outreach_source (district_id);
CREATE INDEX ix_slot_kind_id ON slot (kind_id);
CREATE INDEX ix_slot_unit_id ON slot (unit_id);
CREATE INDEX ix_staffsession_expires_at ON staffsession (expires_at);
CREATE INDEX ix_staffsession_staff_id ON staffsession (staff_id);
CREATE INDEX ix_avslut_contact_id ON avslut (contact_id);
CREATE INDEX ix_avslut_ended_on ON avslut (ended_on);
CREATE INDEX ix_avslut_unit_id ON avslut (unit_id);
CREATE INDEX ix_booking_contact_id ON booking (contact_id);
CREATE INDEX ix_booking_unit_start ON booking (unit_id, start);
CREATE INDEX ix_channeladdress_contact_id ON channeladdress (contact_id);
CREATE INDEX ix_consent_contact_id ON consent (contact_id);
CREATE INDEX ix_handoffrequest_contact_id ON handoffrequest (contact_id);
CREATE INDEX ix_handoffrequest_unit_id ON handoffrequest (unit_id);
CREATE INDEX ix_rsvp_contact_id ON rsvp (contact_id);
CREATE INDEX ix_rsvp_event_id ON rsvp (event_id);
CREATE INDEX ix_rsvp_event_status ON rsvp (event_id, status, id);
CREATE INDEX ix_target_group_contact_id ON target_group (contact_id);
CREATE INDEX ix_staff_outcome_contact_id ON staff_outcome (contact_id);
CREATE INDEX ix_survey_run_contact_id ON survey_run (contact_id);
CREATE INDEX ix_survey_run_status ON survey_run (status);
COMMIT;
