-- Export des écritures comptables du 3e trimestre 2026 - ERP Odoo 16 - Acme SA
-- Généré le 2026-11-16. PostgreSQL 15. Encodage UTF-8.

CREATE TABLE ecritures (
    id integer PRIMARY KEY,
    date_ecriture date NOT NULL,
    journal varchar(8) NOT NULL,
    compte varchar(12) NOT NULL,
    libelle text NOT NULL,
    debit numeric(12,2) NOT NULL DEFAULT 0,
    credit numeric(12,2) NOT NULL DEFAULT 0,
    piece varchar(20)
);

INSERT INTO ecritures VALUES (88120, '2026-07-01', 'VT', '41110199', 'Facture FAC-2026-00900 Chantiers Loire EURL', 4283.40, 0, 'FAC-2026-00900');
INSERT INTO ecritures VALUES (88121, '2026-07-01', 'VT', '706000', 'Facture FAC-2026-00900 Chantiers Loire EURL', 0, 4283.40, 'FAC-2026-00900');
INSERT INTO ecritures VALUES (88122, '2026-07-06', 'VT', '41110115', 'Facture FAC-2026-00901 Plasturgie Estuaire EURL', 6688.01, 0, 'FAC-2026-00901');
INSERT INTO ecritures VALUES (88123, '2026-07-06', 'VT', '706000', 'Facture FAC-2026-00901 Plasturgie Estuaire EURL', 0, 6688.01, 'FAC-2026-00901');
INSERT INTO ecritures VALUES (88124, '2026-07-11', 'VT', '41110045', 'Facture FAC-2026-00902 Paysages Estuaire SAS', 17180.28, 0, 'FAC-2026-00902');
INSERT INTO ecritures VALUES (88125, '2026-07-11', 'VT', '706000', 'Facture FAC-2026-00902 Paysages Estuaire SAS', 0, 17180.28, 'FAC-2026-00902');
INSERT INTO ecritures VALUES (88126, '2026-07-16', 'VT', '41110157', 'Facture FAC-2026-00903 Paysages du Littoral SAS', 15762.13, 0, 'FAC-2026-00903');
INSERT INTO ecritures VALUES (88127, '2026-07-16', 'VT', '706000', 'Facture FAC-2026-00903 Paysages du Littoral SAS', 0, 15762.13, 'FAC-2026-00903');
INSERT INTO ecritures VALUES (88128, '2026-07-21', 'VT', '41110276', 'Facture FAC-2026-00904 Électricité Bocage SA', 4661.84, 0, 'FAC-2026-00904');
INSERT INTO ecritures VALUES (88129, '2026-07-21', 'VT', '706000', 'Facture FAC-2026-00904 Électricité Bocage SA', 0, 4661.84, 'FAC-2026-00904');
INSERT INTO ecritures VALUES (88130, '2026-07-26', 'VT', '41110269', 'Facture FAC-2026-00905 Paysages Loire SAS', 13195.12, 0, 'FAC-2026-00905');
INSERT INTO ecritures VALUES (88131, '2026-07-26', 'VT', '706000', 'Facture FAC-2026-00905 Paysages Loire SAS', 0, 13195.12, 'FAC-2026-00905');
INSERT INTO ecritures VALUES (88132, '2026-07-31', 'VT', '41110269', 'Facture FAC-2026-00906 Paysages Loire SAS', 8632.85, 0, 'FAC-2026-00906');
INSERT INTO ecritures VALUES (88133, '2026-07-31', 'VT', '706000', 'Facture FAC-2026-00906 Paysages Loire SAS', 0, 8632.85, 'FAC-2026-00906');
INSERT INTO ecritures VALUES (88134, '2026-08-05', 'VT', '41110213', 'Facture FAC-2026-00907 Paysages Erdre SAS', 445.08, 0, 'FAC-2026-00907');
INSERT INTO ecritures VALUES (88135, '2026-08-05', 'VT', '706000', 'Facture FAC-2026-00907 Paysages Erdre SAS', 0, 445.08, 'FAC-2026-00907');
INSERT INTO ecritures VALUES (88136, '2026-08-10', 'VT', '41110276', 'Facture FAC-2026-00908 Électricité Bocage SA', 2893.48, 0, 'FAC-2026-00908');
INSERT INTO ecritures VALUES (88137, '2026-08-10', 'VT', '706000', 'Facture FAC-2026-00908 Électricité Bocage SA', 0, 2893.48, 'FAC-2026-00908');
INSERT INTO ecritures VALUES (88138, '2026-08-15', 'VT', '41110080', 'Facture FAC-2026-00909 Boulangerie industrielle Armor SA', 1365.54, 0, 'FAC-2026-00909');
INSERT INTO ecritures VALUES (88139, '2026-08-15', 'VT', '706000', 'Facture FAC-2026-00909 Boulangerie industrielle Armor SA', 0, 1365.54, 'FAC-2026-00909');
INSERT INTO ecritures VALUES (88140, '2026-08-20', 'VT', '41110031', 'Facture FAC-2026-00910 Chantiers Sèvre EURL', 16922.16, 0, 'FAC-2026-00910');
INSERT INTO ecritures VALUES (88141, '2026-08-20', 'VT', '706000', 'Facture FAC-2026-00910 Chantiers Sèvre EURL', 0, 16922.16, 'FAC-2026-00910');
INSERT INTO ecritures VALUES (88142, '2026-08-25', 'VT', '41110024', 'Facture FAC-2026-00911 Boulangerie industrielle Brocéliande SA', 16926.48, 0, 'FAC-2026-00911');
INSERT INTO ecritures VALUES (88143, '2026-08-25', 'VT', '706000', 'Facture FAC-2026-00911 Boulangerie industrielle Brocéliande SA', 0, 16926.48, 'FAC-2026-00911');
INSERT INTO ecritures VALUES (88144, '2026-08-30', 'VT', '41110115', 'Facture FAC-2026-00912 Plasturgie Estuaire EURL', 13327.79, 0, 'FAC-2026-00912');
INSERT INTO ecritures VALUES (88145, '2026-08-30', 'VT', '706000', 'Facture FAC-2026-00912 Plasturgie Estuaire EURL', 0, 13327.79, 'FAC-2026-00912');
INSERT INTO ecritures VALUES (88146, '2026-09-04', 'VT', '41110031', 'Facture FAC-2026-00913 Chantiers Sèvre EURL', 14199.88, 0, 'FAC-2026-00913');
INSERT INTO ecritures VALUES (88147, '2026-09-04', 'VT', '706000', 'Facture FAC-2026-00913 Chantiers Sèvre EURL', 0, 14199.88, 'FAC-2026-00913');
INSERT INTO ecritures VALUES (88148, '2026-09-09', 'VT', '41110010', 'Facture FAC-2026-00914 Menuiserie Armor SARL', 1062.53, 0, 'FAC-2026-00914');
INSERT INTO ecritures VALUES (88149, '2026-09-09', 'VT', '706000', 'Facture FAC-2026-00914 Menuiserie Armor SARL', 0, 1062.53, 'FAC-2026-00914');
INSERT INTO ecritures VALUES (88150, '2026-09-14', 'VT', '41110206', 'Facture FAC-2026-00915 Métallerie Bocage SARL', 7523.39, 0, 'FAC-2026-00915');
INSERT INTO ecritures VALUES (88151, '2026-09-14', 'VT', '706000', 'Facture FAC-2026-00915 Métallerie Bocage SARL', 0, 7523.39, 'FAC-2026-00915');
INSERT INTO ecritures VALUES (88152, '2026-09-19', 'VT', '41110269', 'Facture FAC-2026-00916 Paysages Loire SAS', 17102.10, 0, 'FAC-2026-00916');
INSERT INTO ecritures VALUES (88153, '2026-09-19', 'VT', '706000', 'Facture FAC-2026-00916 Paysages Loire SAS', 0, 17102.10, 'FAC-2026-00916');
INSERT INTO ecritures VALUES (88154, '2026-09-24', 'VT', '41110262', 'Facture FAC-2026-00917 Métallerie Vilaine SARL', 4377.83, 0, 'FAC-2026-00917');
INSERT INTO ecritures VALUES (88155, '2026-09-24', 'VT', '706000', 'Facture FAC-2026-00917 Métallerie Vilaine SARL', 0, 4377.83, 'FAC-2026-00917');
